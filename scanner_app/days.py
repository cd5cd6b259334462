"""Today's date, from one place, for every rule that depends on the day: which batches
are expired (the scan's answer and the result card, assembly), which expire soon
(receiving), and the date an assembly carries. Qt-free.

A :data:`Today` is a callable that returns the date. ``Station.today`` is the station's
one source: the station hands it to its scan pipeline, the workflows get it from the
station, and the window reads it. A test gives the station (or a workflow) a fixed day
(:func:`fixed`), so that nothing it checks depends on when it runs.

The default, :func:`today`, is the computer's local date, unless the environment names
a day in ``SCANNER_APP_TODAY`` (``YYYY-MM-DD``): how a test fixes the day of a
``scanner-app`` it runs as a subprocess, or a training station keeps its demo batches as
they are. The station says so in its log at start.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

TODAY_ENV = "SCANNER_APP_TODAY"

Today = Callable[[], dt.date]


def parse_day(text: str, what: str) -> dt.date:
    """``YYYY-MM-DD`` as a date; ValueError naming ``what`` otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{what} {text.strip()!r} is not a date: write it as YYYY-MM-DD") from None


def environment_day() -> dt.date | None:
    """The day ``SCANNER_APP_TODAY`` names, or None when it is not set."""
    given = os.environ.get(TODAY_ENV, "").strip()
    return parse_day(given, TODAY_ENV) if given else None


def today() -> dt.date:
    """The day the station's rules use: ``SCANNER_APP_TODAY`` when set, else the local date."""
    return environment_day() or dt.date.today()


def fixed(day: dt.date | str) -> Today:
    """A :data:`Today` that is always ``day`` (a date or ``YYYY-MM-DD``)."""
    chosen = day if isinstance(day, dt.date) else parse_day(day, "day")
    return lambda: chosen
