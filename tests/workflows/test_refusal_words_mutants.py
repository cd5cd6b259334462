"""What a person at the packing bench reads when Pack.cloud could not check a serial
(issue #14, mutation testing).

``dispatch_register.words_for_failure``: the scanned code, then why (the station is not
set up, the token was refused, too many requests and for how long, no network, any other
failure of Pack.cloud or of the station), what to do, and what it changed ("Nothing was
recorded", unless the caller says otherwise or nothing).

At the kitting bench (``assembly_scans.detail_needed``, the ``assemble`` command's words):
a tracked component given without its serial or batch is refused, naming what to give.
"""

from __future__ import annotations

import pytest

from scanner_app.backends.errors import AuthError, NotConnected, Offline, RateLimited, ServerError
from scanner_app.workflows.assembly_answers import ComponentLine
from scanner_app.workflows.assembly_scans import detail_needed
from scanner_app.workflows.dispatch_register import words_for_failure


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (NotConnected("not configured (no organization_id in [packcloud]): run scanner-app configure packcloud"),
         "CAM-1: not configured (no organization_id in [packcloud]): run scanner-app configure packcloud. "
         "Nothing was recorded"),
        (AuthError("401"), "CAM-1: Pack.cloud refused the API token: run scanner-app login packcloud with a valid "
                           "token. Nothing was recorded"),
        (RateLimited("slow", retry_after=59.6), "CAM-1: Pack.cloud says too many requests (try again in 60 s): "
                                               "scan it again shortly. Nothing was recorded"),
        (RateLimited("slow"), "CAM-1: Pack.cloud says too many requests: scan it again shortly. Nothing was recorded"),
        (Offline("no answer"), "CAM-1: Pack.cloud cannot be reached (network?): scan it again when it is back. "
                               "Nothing was recorded"),
        (ServerError("the server failed", backend="Pack.cloud", status=502),
         "CAM-1: Pack.cloud could not answer: Pack.cloud: the server failed (HTTP 502). Nothing was recorded"),
        (RuntimeError("no answer"), "CAM-1: it could not be checked with Pack.cloud: no answer. Nothing was recorded"),
    ],
)
def test_why_a_serial_could_not_be_checked(error: BaseException, words: str) -> None:
    assert words_for_failure(error, "CAM-1", "Pack.cloud") == words


def test_the_consequence_is_the_callers_to_say() -> None:
    assert words_for_failure(Offline("x"), "CAM-1", "Pack.cloud", None) == (
        "CAM-1: Pack.cloud cannot be reached (network?): scan it again when it is back")
    assert words_for_failure(Offline("x"), "CAM-1", "Pack.cloud", "The dispatch stays open").endswith(
        "back. The dispatch stays open")


@pytest.mark.parametrize(
    ("serial", "verdict", "words"),
    [(True, "needs_serial", "Drill is tracked by serial number: give each unit's serial number"),
     (False, "needs_batch", "Glue is tracked by batch: give its batch number")],
)
def test_a_tracked_component_given_without_its_detail_is_refused_in_words(serial: bool, verdict: str,
                                                                          words: str) -> None:
    line = ComponentLine("I9", "Drill" if serial else "Glue", per_kit=1.0, needed=2.0, in_stock=5.0,
                         track_serial_number=serial, track_batch_number=not serial)
    answer = detail_needed(line)
    assert (answer.verdict, answer.message, answer.line) == (verdict, words, line)
