"""The Lookup tab: a scan's answer on the result card with its sound, in the same frame. On a
Pack.cloud station a code the local store does not know is asked of the register
(:mod:`scanner_app.ui.controllers.register_lookup`), and the card, the sound and the history row follow
its answer."""

from __future__ import annotations

from scanner_app.history.store import WorkflowVerdict
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.ui.controllers.register_lookup import RegisterLookup
from scanner_app.ui.pages.lookup_page import LookupPage
from scanner_app.ui.workflow_pages import PageServices, WorkflowPageUnit

SOUND_FOR_STATUS = {"found": "found", "not_found": "not_found", "invalid": "invalid"}


class LookupUnit(WorkflowPageUnit):
    """The Lookup tab: the first, and where scans go while a page that takes none shows."""

    key, title, order = "lookup", "Lookup", 10
    page: LookupPage

    def __init__(self, services: PageServices) -> None:
        page = LookupPage(today=services.station.today)
        super().__init__(page, page.manual_entry)
        self.sounds, self.history = services.sounds, services.history
        self.register_lookup = RegisterLookup(services.station, services.tasks, page.card, services.sounds,
                                              services.last_outcome, services.history.answered, services.parent)

    def handle_scan(self, outcome: ScanOutcome) -> WorkflowVerdict | None:
        self.page.card.show_outcome(outcome)
        if self.register_lookup.consult(outcome):  # the sound and the history follow its answer
            self.history.expect(outcome)
        else:
            self.sounds.play(SOUND_FOR_STATUS[outcome.result.status])
        return None  # the lookup's answer is what the history keeps

    def show_refreshed(self, outcome: ScanOutcome) -> None:
        self.page.card.show_outcome(outcome)
