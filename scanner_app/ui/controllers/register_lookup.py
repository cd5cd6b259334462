"""The Lookup page on a Pack.cloud station: a code the local store does not know may be a
serial number in Pack.cloud (the station keeps no serials itself), so Pack.cloud is asked
on the task manager's network pool and the card shows its answer when it comes back (by
the task manager's signal: the UI thread never waits). Meanwhile the card says it is
checking, and the sound waits for the verdict. The verdict also goes to ``answered`` (the
window amends the scan's history row with it: :mod:`scanner_app.ui.history_amendments`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QObject

from scanner_app.inventory.register_checks import register_lookup_result
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.station import Station
from scanner_app.ui.sounds import FeedbackSounds
from scanner_app.ui.tasks import TaskManager
from scanner_app.ui.widgets.result_card import ResultCard
from scanner_app.workflows.dispatch_register import words_for_failure

SOUND_FOR_STATUS = {"found": "found", "not_found": "not_found"}


class RegisterLookup(QObject):
    """Asks the serial register about codes the Lookup card could not find locally."""

    def __init__(self, station: Station, tasks: TaskManager, card: ResultCard, sounds: FeedbackSounds,
                 shown: Callable[[], ScanOutcome | None],
                 answered: Callable[[ScanOutcome, ScanOutcome | None], None] = lambda _asked, _answer: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station, self.tasks, self.card, self.sounds, self._shown = station, tasks, card, sounds, shown
        self._answered = answered

    def consult(self, outcome: ScanOutcome) -> bool:
        """Ask the register about ``outcome`` when it may be a serial it keeps; True when
        asked (the card and sound follow its answer)."""
        c = outcome.classification
        code = ((outcome.result.gs1 or c.gs1 or {}).get("21") or (c.text if c.text is not None else c.raw)).strip()
        if outcome.result.status != "not_found" or not code:
            return False
        checks = self.station.backend.serial_register(self.station)
        if checks is None:  # no outside register: the local store's answer stands
            return False
        self.card.reason.setText(f"Not in the local store: checking with {checks.register.name}…")
        self.card.reason.setVisible(True)

        def done(found: object, error: BaseException | None) -> None:
            on_card = self._shown() is outcome  # else another scan is on the card now
            if error is not None or not isinstance(found, list):
                self._answered(outcome, None)
                if on_card:
                    self.card.reason.setText(words_for_failure(error or RuntimeError("no answer"), code,
                                                               checks.register.name, consequence=None))
                    self.sounds.play("not_found")
                return
            names = {w.warehouse_id: w.name for w in self.station.inventory.warehouses()}
            result = register_lookup_result(checks.describe(code, found), names)  # local reads, here
            self._answered(outcome, dataclasses.replace(outcome, result=result))
            if on_card:
                self.card.show_result(result, outcome.classification)
                self.sounds.play(SOUND_FOR_STATUS[result.status])

        self.tasks.run_net(checks.register.find_serial, code, on_done=done)  # the network, only
        return True
