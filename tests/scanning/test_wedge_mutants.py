"""The wedge detector's decisions as its Qt adapter uses them (issue #14, mutation testing).

``ui/wedge_filter.py`` returns ``decision.consume`` straight to Qt as the result of its
event filter, which must be a real ``bool``: ``False`` lets the key through to the focused
widget, ``True`` swallows it. ``consume`` is about "the key just fed", so a decision made
without a key (an idle tick) never swallows one. These tests state that for every kind of
event, in the situations that end a run (released as typing) and the ones that do not.
"""

from __future__ import annotations

import pytest

from scanner_app.config import ScannerSettings
from scanner_app.scanning.wedge import WedgeBurstDetector, WedgeDecision

GAP = ScannerSettings().max_key_gap_ms


def held(text: str, gap: float = 5.0) -> tuple[WedgeBurstDetector[int], float]:
    """A detector holding ``text`` typed at scanner speed; the time of its last key."""
    detector: WedgeBurstDetector[int] = WedgeBurstDetector(ScannerSettings(min_length=4))
    t = 1000.0
    for i, char in enumerate(text):
        assert detector.on_text(i, char, t).consume is True
        t += gap
    return detector, t - gap


def assert_lets_the_key_through(decision: WedgeDecision[int]) -> None:
    assert decision.consume is False  # a bool: Qt's event filter returns it as is
    assert decision.scan is None


def test_enter_with_nothing_held_is_an_ordinary_enter() -> None:
    detector: WedgeBurstDetector[int] = WedgeBurstDetector()
    decision = detector.on_terminator(0, "enter", 5.0)
    assert_lets_the_key_through(decision)
    assert decision.release == []


def test_a_terminator_the_scanner_is_not_set_to_send_releases_the_run() -> None:
    detector, last = held("ABCDEF")
    decision = detector.on_terminator(99, "escape-like", last + 1)
    assert_lets_the_key_through(decision)
    assert decision.release == [0, 1, 2, 3, 4, 5]


def test_an_enter_after_a_pause_releases_the_run_as_typing() -> None:
    detector, last = held("ABCDEF")
    decision = detector.on_terminator(99, "enter", last + GAP + 1)
    assert_lets_the_key_through(decision)
    assert decision.release == [0, 1, 2, 3, 4, 5]


def test_a_short_run_ended_by_enter_is_typing() -> None:
    detector, last = held("AB")
    decision = detector.on_terminator(99, "enter", last + 1)
    assert_lets_the_key_through(decision)
    assert decision.release == [0, 1]


def test_an_arrow_key_releases_the_run_and_goes_through() -> None:
    detector, last = held("ABC")
    decision = detector.on_other(99, last + 1)
    assert_lets_the_key_through(decision)
    assert decision.release == [0, 1, 2]


@pytest.mark.parametrize("after_gap", [True, False])
def test_an_idle_tick_never_swallows_a_key(after_gap: bool) -> None:
    detector, last = held("ABC")
    decision = detector.on_idle(last + (GAP + 1 if after_gap else 1))
    assert_lets_the_key_through(decision)
    assert decision.release == ([0, 1, 2] if after_gap else [])
    assert detector.holding is not after_gap
