"""True words for each serial of a refused batch: the refused serial says why; the others say
they were not recorded (or not applied) and because of which serial -- never a bare
"refused" without a reason."""

from __future__ import annotations

import json
from pathlib import Path

from scanner_app.workflows.refusal_words import (
    named_in,
    not_recorded_reason,
    reasons_per_serial,
)
from tests.workflows.conftest import dispatch_catalogue
from tests.workflows.helpers import script as cli
from tests.workflows.helpers import script_home


def test_the_vendors_refusal_names_its_serial_and_the_others_were_not_applied() -> None:
    reason = "SN-1 is already mapped to salesorder SO-9"
    assert reasons_per_serial(["SN-1", "SN-10", "SN-2"], reason, "Zoho Inventory") == {
        "SN-1": reason,
        "SN-10": "not applied: Zoho Inventory refused the whole request because of SN-1 (SN-1 is already mapped "
                 "to salesorder SO-9); nothing is wrong with this serial number",
        "SN-2": "not applied: Zoho Inventory refused the whole request because of SN-1 (SN-1 is already mapped "
                "to salesorder SO-9); nothing is wrong with this serial number",
    }


def test_a_refusal_naming_no_serial_is_about_the_whole_request() -> None:
    assert reasons_per_serial(["SN-1", "SN-2"], "the warehouse is inactive") == {
        "SN-1": "the warehouse is inactive", "SN-2": "the warehouse is inactive"}


def test_a_serial_is_named_only_as_a_whole_word() -> None:
    assert named_in("SN-10 and SN-100 are in another bin", ["SN-1", "SN-10", "SN-100", "SN-1000"]) == [
        "SN-10", "SN-100"]


def test_not_recorded_says_which_serial_was_refused() -> None:
    assert not_recorded_reason({"SN-OUT": "SN-OUT has been transacted out"}) == (
        "accepted, but not recorded: nothing is recorded while SN-OUT was refused (SN-OUT has been transacted out)")


def test_a_dispatch_with_one_refused_serial_gives_the_accepted_one_true_words(tmp_path: Path) -> None:
    home = script_home(tmp_path, dispatch_catalogue())
    done = cli(home, "dispatch", "--entity-type", "salesorder", "--entity-id", "SO-42", "--warehouse", "W1",
               "--item", "DRL-18", "--serial", "SN-0001", "--serial", "SN-OUT", "--json")
    assert done.returncode == 1
    lines = {s["serialnumber"]: s for s in json.loads(done.stdout)["serials"]}
    refused = lines["SN-OUT"]
    assert refused["state"] == "refused" and refused["reason"] == refused["message"] and refused["reason"]
    assert lines["SN-0001"]["state"] == "not_recorded"
    assert lines["SN-0001"]["reason"] == (f"accepted, but not recorded: nothing is recorded while SN-OUT was "
                                          f"refused ({refused['message']})")
    human = cli(home, "dispatch", "--entity-type", "salesorder", "--entity-id", "SO-42", "--warehouse", "W1",
                "--item", "DRL-18", "--serial", "SN-0001", "--serial", "SN-OUT")
    assert "  SN-0001: not_recorded: accepted, but not recorded: nothing is recorded while SN-OUT was refused" \
        in human.stdout
