"""True words for each serial number of a refused batch: the serial(s) that were refused say
why, and the others say that they were not sent or not applied, and because of which
serial(s) -- never a bare "refused" for a serial nothing was wrong with.

Two places refuse a batch: a dispatch command where some serials were refused at scan time
(nothing is recorded, so the accepted ones are "not recorded"), and an inventory system
that refuses one mapping request for several serials (all or nothing, so those it did not
name are "not applied"). No Qt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

NOT_RECORDED = "not_recorded"  # the state of an accepted serial in a dispatch that recorded nothing


def _names(numbers: Sequence[str]) -> str:
    shown = ", ".join(numbers[:5]) + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")
    return shown


def not_recorded_reason(refused: Mapping[str, str]) -> str:
    """Why an accepted serial was not recorded: ``refused`` maps each refused serial to why."""
    numbers = list(refused)
    first = next(iter(refused.values()), "")
    verb = "was" if len(numbers) == 1 else "were"
    return f"accepted, but not recorded: nothing is recorded while {_names(numbers)} {verb} refused ({first})"


def named_in(reason: str, numbers: Sequence[str]) -> list[str]:
    """The serial numbers of ``numbers`` that ``reason`` names (as whole words: SN-1 is not
    named by "SN-10")."""
    return [n for n in numbers if n and re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", reason)]


def reasons_per_serial(numbers: Sequence[str], reason: str, system: str = "the inventory system") -> dict[str, str]:
    """Each serial's words when ``system`` refused one request for all of ``numbers`` with
    ``reason``: the serials it names keep its reason; the others were not applied because
    of those. When it names none, the reason is about the whole request and each keeps it."""
    named = named_in(reason, numbers)
    if not named:
        return dict.fromkeys(numbers, reason)
    because = (f"not applied: {system} refused the whole request because of {_names(named)} ({reason}); "
               "nothing is wrong with this serial number")
    return {n: reason if n in named else because for n in numbers}
