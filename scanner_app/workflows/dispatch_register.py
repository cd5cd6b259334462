"""Dispatch's serial rule when an outside register (Pack.cloud) keeps the serial numbers.
Qt-free.

On such a station the local store has the catalogue but no serial numbers, so the local
serial rule (:mod:`~scanner_app.workflows.serial_checks`) cannot apply: the register is
asked instead. The serial must exist for the scanned item's Pack.cloud product (the
product links), be in stock (``stock_id`` set), not have shipped (``fulfillment_line_id``
null) and be in a stock mapped to the dispatch's warehouse
(:class:`~scanner_app.inventory.register_checks.SerialRegisterChecks`). The local rules
that need no register stay: not scanned twice here, not claimed by another dispatch or an
assembly.

A scan is answered in three steps, so the window's UI thread never waits on the network:

1. :meth:`RegisterSerialRule.query` (the workflow's thread): refusals that need no call
   (item not linked, duplicate, claimed), otherwise a ``checking`` answer carrying a
   :class:`RegisterQuery` ("checking with Pack.cloud…");
2. :func:`ask_register` (any thread; the window's network pool): the one register call; a
   failure is kept in the :class:`RegisterReply`, never raised;
3. :meth:`RegisterSerialRule.settle` (the workflow's thread again): the verdict, the local
   rules once more (the dispatch may have moved on meanwhile) and, when all agree, the
   serial is added like any other. Offline, a refused token or a rate limit refuse the
   serial with their own words; nothing is recorded.

Pack.cloud's REST API only reads (its doc has no write), so a completed dispatch on such a
station records no outbox entry: the dispatch stays in the station's own records
(``DispatchWorkflow`` with no target; see docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scanner_app.backends.errors import (
    AuthError,
    BackendError,
    NotConnected,
    Offline,
    RateLimited,
)
from scanner_app.inventory.models import Bin, SerialNumber
from scanner_app.inventory.register_checks import DispatchCheck, SerialRegisterChecks
from scanner_app.inventory.serial_register import RegisteredSerial
from scanner_app.workflows.dispatch_answers import DispatchAnswer, Verdict

if TYPE_CHECKING:
    from scanner_app.workflows.dispatch_state import OpenDispatch

# The register's verdicts as the dispatch's (one per rule, as the local ones).
VERDICTS: dict[str, Verdict] = {
    "item_not_linked": "item_not_linked", "unknown_serial": "unknown_code", "other_product": "other_item",
    "not_in_stock": "not_in_stock", "shipped": "transacted_out", "other_warehouse": "other_warehouse",
    "stock_not_mapped": "stock_not_mapped", "ambiguous": "ambiguous",
}


@dataclass(frozen=True)
class RegisterQuery:
    """A serial waiting for the register's word: what was scanned, for which dispatch and
    item (None: the serial will say), and the bin it is picked from."""

    dispatch_id: int
    code: str
    item_id: str | None
    warehouse_id: str
    bin: Bin | None


@dataclass(frozen=True)
class RegisterReply:
    """The register's answer to a query: the serials under the code, or why there is none."""

    query: RegisterQuery
    found: list[RegisteredSerial] | None = None
    error: BaseException | None = None


def register_rule(station: Any) -> RegisterSerialRule | None:
    """The serial rule of ``station``'s dispatches (a :class:`scanner_app.station.Station`):
    its backend's serial register's when it has one (Pack.cloud), else None (the local
    serial table). Makes no network call."""
    checks = station.backend.serial_register(station)
    return RegisterSerialRule(checks) if checks is not None else None


def ask_register(checks: SerialRegisterChecks, query: RegisterQuery) -> RegisterReply:
    """The one register call for ``query`` (network: run it off the UI thread). Never raises."""
    try:
        return RegisterReply(query, found=checks.register.find_serial(query.code))
    except Exception as error:  # noqa: BLE001 (any failure refuses the serial, with its words)
        return RegisterReply(query, error=error)


def words_for_failure(error: BaseException, code: str, register: str,
                      consequence: str | None = "Nothing was recorded") -> str:
    """Why ``code`` could not be checked, what to do and (``consequence``) what it changed."""
    if isinstance(error, NotConnected):
        what = str(error)
    elif isinstance(error, AuthError):
        what = f"{register} refused the API token: run scanner-app login packcloud with a valid token"
    elif isinstance(error, RateLimited):
        wait = f" (try again in {error.retry_after:.0f} s)" if error.retry_after else ""
        what = f"{register} says too many requests{wait}: scan it again shortly"
    elif isinstance(error, Offline):
        what = f"{register} cannot be reached (network?): scan it again when it is back"
    elif isinstance(error, BackendError):
        what = f"{register} could not answer: {error}"
    else:
        what = f"it could not be checked with {register}: {error}"
    return f"{code}: {what}" + (f". {consequence}" if consequence else "")


class RegisterSerialRule:
    """The serial rule of a dispatch whose serial numbers are in ``checks.register``."""

    def __init__(self, checks: SerialRegisterChecks) -> None:
        self.checks = checks
        self.register = checks.register.name
        self._pending: set[tuple[int, str]] = set()  # (dispatch, code) being checked

    def query(self, workflow: OpenDispatch, code: str) -> DispatchAnswer:
        """Step 1: a refusal without asking, or ``checking`` with the query to ask."""
        assert workflow.dispatch is not None
        item = workflow.current_item
        item_id = item.item_id if item is not None else None
        if not code:
            return DispatchAnswer("unknown_code", "Nothing was scanned")
        refused = self.checks.before_asking(item_id, code)
        if refused is not None:
            return self._refusal(refused)
        if item_id is not None:
            local = self._local_refusal(workflow, item_id, code)
            if local is not None:
                return local
        key = (workflow.dispatch.dispatch_id, code.casefold())
        if key in self._pending:
            return DispatchAnswer("duplicate", f"{code} is already being checked with {self.register}")
        self._pending.add(key)
        query = RegisterQuery(workflow.dispatch.dispatch_id, code, item_id, workflow.dispatch.warehouse_id,
                              workflow.current_bin)
        return DispatchAnswer("checking", f"{code}: checking with {self.register}…", pending=query)

    def settle(self, workflow: OpenDispatch, reply: RegisterReply) -> DispatchAnswer:
        """Step 3: the verdict on the register's reply; the serial is added when all agree."""
        query = reply.query
        self._pending.discard((query.dispatch_id, query.code.casefold()))
        dispatch = workflow.dispatch
        if dispatch is None or dispatch.dispatch_id != query.dispatch_id or not workflow.is_open:
            state = "closed" if dispatch is None or dispatch.dispatch_id != query.dispatch_id else dispatch.state
            return DispatchAnswer("dispatch_closed", f"{query.code}: {self.register} answered after the dispatch "
                                  f"was {state}: not added")
        if reply.error is not None or reply.found is None:
            error = reply.error or RuntimeError("no answer")
            return DispatchAnswer("register_unavailable", words_for_failure(error, query.code, self.register))
        check = self.checks.judge(query.item_id, query.code, reply.found, query.warehouse_id)
        if not check.ok or check.serial is None or check.item_id is None:
            return self._refusal(check)
        number = check.serial.code
        local = self._local_refusal(workflow, check.item_id, number)
        if local is not None:
            return local
        if query.item_id is None:  # scanned before any item: the serial's item becomes the current one
            found = workflow.store.get_item(check.item_id)
            if found is None or not found.track_serial_number:
                name = found.name if found is not None else f"item {check.item_id}"
                return DispatchAnswer("not_serial_tracked", f"{name} is not tracked by serial number")
            if workflow.current_item is None:
                workflow.current_item = found
        unit = SerialNumber(f"{self.register}:{check.serial.serial_id}", number, check.item_id)
        added = workflow.add_checked_serial(unit, number, query.bin)
        return DispatchAnswer(added.verdict, f"{added.message} ({check.message})", added.serial, added.note)

    def waiting_for(self, dispatch_id: int) -> bool:
        """Is a serial of this dispatch still being checked?"""
        return any(d == dispatch_id for d, _code in self._pending)

    def _local_refusal(self, workflow: OpenDispatch, item_id: str, number: str) -> DispatchAnswer | None:
        assert workflow.dispatch is not None
        same = [key for key in workflow.scanned_keys() if key[0] == item_id and key[1].casefold() == number.casefold()]
        if same:
            return workflow.count_again(*same[0]) or DispatchAnswer(
                "duplicate", f"{number} is already scanned in this dispatch")
        elsewhere = workflow.claims.elsewhere(item_id, number, dispatch_id=workflow.dispatch.dispatch_id)
        if elsewhere is not None:
            return DispatchAnswer("claimed", f"{number} of {workflow.item_name(item_id)} is already {elsewhere}")
        return None

    @staticmethod
    def _refusal(check: DispatchCheck) -> DispatchAnswer:
        message = check.message[:1].upper() + check.message[1:]
        return DispatchAnswer(VERDICTS.get(check.verdict, "register_refused"), message)
