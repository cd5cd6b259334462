"""All input text made safe at the edge (issue 15): scanned bytes decoded with replacement,
the CLI's human output escaping control characters (JSON exact), and catalogue import and
receive refusing what breaks the stated limits (``inventory/input_limits.py``) in words,
recording nothing. Hypothesis feeds arbitrary bytes and text to the scan path, the import
and the config loader: no exception escapes but the one each promises."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner_app.cli_format import format_lookup, say, shown
from scanner_app.codes import classify
from scanner_app.config import ConfigError, load_settings
from scanner_app.history.store import HistoryStore
from scanner_app.inventory.importer import ImportFailed, import_file
from scanner_app.inventory.input_limits import (
    MAX_QUANTITY,
    TextKind,
    forbidden_character,
)
from scanner_app.inventory.store import InventoryStore
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.workflows.receiving_file import FileRefused, parse_rows
from tests.inventory.helpers import catalogue
from tests.workflows.helpers import ROOT, script, script_home
from tests.workflows.receiving_catalogue import receiving_catalogue

# Every code point, lone surrogates and controls included (Hypothesis leaves Cs out by default).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)
HOSTILE_NAME = "\x1b]0;pwned\x07Drill\x1b[2J\u202ex\x9b"
RECEIVE_HEADER = "item,batch,manufacturer_batch,manufactured,expiry,quantity,serial\n"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[InventoryStore, HistoryStore]]:
    """One loaded inventory and one history for the properties (examples share them)."""
    folder = tmp_path_factory.mktemp("shared")
    (folder / "catalogue.json").write_text(json.dumps(catalogue()))
    store, history = InventoryStore(folder / "inventory.sqlite3"), HistoryStore(folder / "history.sqlite3")
    import_file(store, folder / "catalogue.json")
    yield store, history
    history.close()
    store.close()


# -- the scan path ------------------------------------------------------------------------------


def test_a_scan_decodes_bytes_and_lone_surrogates_with_replacement_and_keeps_controls() -> None:
    assert Scan(b"AB\xffCD", ScanSource.SERIAL).raw == "AB\ufffdCD"  # type: ignore[arg-type]
    assert Scan("AB\udcffCD", ScanSource.CLI).raw == "AB\ufffdCD"  # argv's surrogateescape
    assert Scan("\ud800x\udfff", ScanSource.WEDGE).raw == "\ufffdx\ufffd"
    assert Scan("0104006381333931\x1d10LOT", ScanSource.WEDGE).raw == "0104006381333931\x1d10LOT"  # GS is data


def test_lookup_of_invalid_utf8_on_the_command_line_answers_not_found_in_words(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "scanner_app", "--home", str(tmp_path / "home"), "lookup", b"AB\xffCD"]
    done = subprocess.run(argv, capture_output=True, cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stdout.decode().splitlines()[:2] == [
        "NOT FOUND: AB\ufffdCD", "  No item, serial, batch or bin with code 'AB\ufffdCD'"]
    as_json = subprocess.run([*argv, "--json"], capture_output=True, cwd=ROOT, timeout=60, check=False)
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["status"] == "not_found"


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(ANY_TEXT, st.binary(max_size=60),
                     st.builds(lambda head, tail: head + tail,
                               st.sampled_from(["]C1", "]d2", "(01)", "010950600013435", "0104006381333931\x1d10"]),
                               ANY_TEXT)))
def test_nothing_in_the_scan_path_raises_on_any_text_or_bytes(
    shared: tuple[InventoryStore, HistoryStore], raw: str | bytes
) -> None:
    store, history = shared
    outcome = ScanPipeline(store).process(Scan(raw, ScanSource.WEDGE))  # type: ignore[arg-type]
    history.record(outcome)
    format_lookup(outcome).encode("utf-8")  # what the CLI prints can be printed
    shown(outcome.classification.display).encode("utf-8")
    if isinstance(raw, str):  # a caller that skips Scan: the lookup itself still answers
        assert store.lookup(classify(raw)).status in ("found", "not_found", "invalid")


# -- the CLI's human output -----------------------------------------------------------------------


def test_shown_turns_every_unsafe_character_into_a_token_and_cuts_nothing() -> None:
    assert shown(HOSTILE_NAME) == "<ESC>]0;pwned<0x07>Drill<ESC>[2J<U+202E>x<0x9B>"
    assert shown("Ordinary name, 12 × 5 kg") == "Ordinary name, 12 × 5 kg"
    assert shown("x" * 5000) == "x" * 5000
    assert shown("A\udcffB") == "A<U+DCFF>B"


def test_say_keeps_the_printers_lines_and_escapes_inside_them(capsys: pytest.CaptureFixture[str]) -> None:
    say(f"Item: {HOSTILE_NAME}\n  Stock: 3")
    assert capsys.readouterr().out == "Item: <ESC>]0;pwned<0x07>Drill<ESC>[2J<U+202E>x<0x9B>\n  Stock: 3\n"


def test_the_cli_escapes_an_item_name_for_people_and_keeps_it_exact_in_json(tmp_path: Path) -> None:
    home = script_home(tmp_path, receiving_catalogue())
    with sqlite3.connect(home / "data" / "inventory.sqlite3") as conn:  # a name from before the import checks
        conn.execute("UPDATE items SET name = ? WHERE item_id = 'I2'", (HOSTILE_NAME,))
    done = script(home, "lookup", "DRL-18")
    assert done.returncode == 0, done.stderr
    assert "  Item: <ESC>]0;pwned<0x07>Drill<ESC>[2J<U+202E>x<0x9B>" in done.stdout.splitlines()
    assert not any(char in done.stdout for char in "\x1b\x07\x9b\u202e")
    as_json = script(home, "lookup", "DRL-18", "--json")
    assert json.loads(as_json.stdout)["item"]["name"] == HOSTILE_NAME
    history = script(home, "history")
    assert "Drill" in history.stdout and not any(char in history.stdout for char in "\x1b\x07\x9b\u202e")


# -- catalogue import -----------------------------------------------------------------------------

ITEM = {"item_id": "X1", "name": "Box", "sku": "BOX-1"}
STOCK = {"location_id": "W1", "location_name": "Main"}

REFUSED_JSON = [
    ({"items": [{**ITEM, "name": "A\x1b]0;x\x07"}]},
     "items[0]: name holds the control character <ESC> at character 2 (not allowed in a name)"),
    ({"items": [{**ITEM, "sku": "BOX\u202e1"}]},
     "items[0]: sku holds the invisible character <U+202E> at character 4 (not allowed in a code)"),
    ({"items": [{**ITEM, "name": "n" * 1001}]}, "items[0]: name is 1,001 characters long (at most 1,000 for a name)"),
    ({"items": [{**ITEM, "sku": "S" * 201}]}, "items[0]: sku is 201 characters long (at most 200 for a code)"),
    ({"items": [{**ITEM, "locations": [{**STOCK, "location_stock_on_hand": -5}]}]},
     "items[0]: locations[0]: location_stock_on_hand must not be negative, not -5"),
    ({"items": [{**ITEM, "locations": [{**STOCK, "location_stock_on_hand": 1e300}]}]},
     "items[0]: locations[0]: location_stock_on_hand 1e+300 is more than the most the station takes (1,000,000,000)"),
    ({"items": [{**ITEM, "locations": [{**STOCK, "location_stock_on_hand": float("nan")}]}]},
     "items[0]: locations[0]: location_stock_on_hand must be a finite number, not nan"),
    ({"batches": [{"item_id": "I3", "batch_number": "L-1", "balance_quantity": "-1"}]},
     "batches[0]: balance_quantity must not be negative, not -1"),
]


@pytest.mark.parametrize(("document", "words"), REFUSED_JSON)
def test_import_refuses_bad_text_and_quantities_naming_the_record_and_field(
    tmp_path: Path, document: dict[str, Any], words: str
) -> None:
    store = InventoryStore(tmp_path / "inventory.sqlite3")
    (tmp_path / "ok.json").write_text(json.dumps(catalogue()))
    import_file(store, tmp_path / "ok.json")
    before = store.count_items()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ImportFailed) as refused:
        import_file(store, path)
    assert [str(p) for p in refused.value.problems] == [words]
    assert store.count_items() == before and store.lookup(classify("BOX-1")).status == "not_found"
    store.close()


def test_a_sync_keeps_the_negative_stock_zoho_reports_that_a_file_may_not_hold(tmp_path: Path) -> None:
    """Zoho Inventory shows stock below zero when an organisation lets stock go negative: a
    sync mirrors it (the item stays findable), a person's import file is refused."""
    from scanner_app.backends.zoho.mapping import item_from_zoho
    from scanner_app.sync.page_import import import_records

    store = InventoryStore(tmp_path / "inventory.sqlite3")
    document = {"items": [{**ITEM, "locations": [{**STOCK, "location_stock_on_hand": -3}]}]}
    report, skipped = import_records(store, document)
    assert skipped == [] and report.items == 1
    assert store.connection().execute("SELECT quantity FROM item_stock WHERE item_id = 'X1'").fetchall() == [(-3.0,)]
    too_big = {"items": [{**ITEM, "item_id": "X2", "sku": "BOX-2",
                          "locations": [{**STOCK, "location_stock_on_hand": -2e9}]}]}
    report, skipped = import_records(store, too_big)
    assert [s.reasons for s in skipped] == [("locations[0]: location_stock_on_hand -2e+09 is more than the most "
                                             "the station takes (1,000,000,000)",)]
    store.close()
    item = item_from_zoho({**ITEM, "locations": [{**STOCK, "location_stock_on_hand": -3}]})
    assert [line.quantity for line in item.stock] == [-3.0]


HOSTILE_FILES = [
    ("long-number.json", '{"items": [{"name": "x", "sku": "S", "item_id": ' + "9" * 5000 + "}]}",
     "not a catalogue: a number 5,000 digits long at line 1 (at most 100 digits)"),
    ("deep.json", "[" * 100_000 + "]" * 100_000,
     "not a catalogue: the JSON is nested more than 32 levels deep (a catalogue needs 7)"),
    ("surrogate.json", '{"items": [{"name": "A\\udcffB", "sku": "S"}]}',
     ("not a catalogue: items[0].name holds a lone surrogate (A<U+DCFF>B): JSON text must be Unicode characters, "
      "and half of a UTF-16 pair is not one")),
    ("huge-field.csv", 'name,sku\n"' + "x" * 200_000 + '",S\n',
     "the CSV file cannot be read at line 2: a field is longer than 131,072 characters"),
]


@pytest.mark.parametrize(("name", "text", "words"), HOSTILE_FILES, ids=[f[0] for f in HOSTILE_FILES])
def test_scanner_app_import_refuses_hostile_files_in_words_not_tracebacks(
    tmp_path: Path, name: str, text: str, words: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    done = script(tmp_path / "home", "import", str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [f"Nothing imported from {path}:", f"  {words}"]
    with sqlite3.connect(tmp_path / "home" / "data" / "inventory.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM items WHERE sku = 'S'").fetchone()[0] == 0


def test_json_nesting_just_within_the_limit_is_read() -> None:
    from scanner_app.inventory.catalogue_json import (
        CatalogueJsonRefused,
        parse_catalogue_json,
    )

    assert parse_catalogue_json("[" * 32 + "]" * 32) is not None
    with pytest.raises(CatalogueJsonRefused, match="nested more than 32 levels deep"):
        parse_catalogue_json("[" * 33 + "]" * 33)


def test_names_may_hold_joiners_and_descriptions_line_breaks_but_codes_neither() -> None:
    assert forbidden_character("👩\u200d🔧 kit", TextKind.NAME) is None
    assert forbidden_character("line 1\nline 2", TextKind.LONG_TEXT) is None
    assert forbidden_character("A\u200dB", TextKind.CODE) == (1, "\u200d")
    assert forbidden_character("line 1\nline 2", TextKind.NAME) == (6, "\n")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".json"]))
def test_importing_arbitrary_bytes_refuses_in_words_or_imports_and_never_raises_otherwise(
    shared: tuple[InventoryStore, HistoryStore], tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    store, _ = shared
    path = tmp_path_factory.mktemp("bytes") / f"file{suffix}"
    path.write_bytes(data)
    before = store.count_items()
    try:
        import_file(store, path)
    except ImportFailed as refused:
        assert refused.problems and all(str(p) for p in refused.problems)
        assert store.count_items() == before  # refused: nothing recorded


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(ANY_TEXT, inner, max_size=4)),
    max_leaves=20,
)
RECORD_FIELDS = st.sampled_from(["item_id", "name", "sku", "upc", "ean", "part_number", "unit", "description",
                                 "locations", "track_batch_number", "batch_number", "balance_quantity",
                                 "serialnumber", "warehouse_id", "quantity", "mapped_items"])
RECORDS = st.dictionaries(RECORD_FIELDS, JSON_VALUES, max_size=6)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=80)
@given(section=st.sampled_from(["items", "composite_items", "batches", "serial_numbers", "warehouses", "bins"]),
       records=st.lists(RECORDS, max_size=3))
def test_importing_arbitrary_catalogue_shaped_json_never_raises_but_import_failed(
    shared: tuple[InventoryStore, HistoryStore], tmp_path_factory: pytest.TempPathFactory,
    section: str, records: list[dict[str, Any]]
) -> None:
    store, _ = shared
    path = tmp_path_factory.mktemp("json") / "catalogue.json"
    path.write_text(json.dumps({section: records}), encoding="ascii")  # lone surrogates as \ud8xx escapes
    before = store.count_items()
    try:
        import_file(store, path)
    except ImportFailed:
        assert store.count_items() == before


# -- receive --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "words"), [
    ("MLK-1,L-1,,,,1e300,", "row 2: quantity 1e+300 is more than the most the station takes (1,000,000,000)"),
    ("MLK-1,L-1,,,,-4,", "row 2: quantity must be more than 0, not '-4'"),
    ("MLK-1,L-1,,,,nan,", "row 2: quantity must be more than 0, not 'nan'"),
    ("MLK-1,L\x1b[2J,,,,1,", "row 2: batch holds the control character <ESC> at character 2 (not allowed in a code)"),
    ("DRL-18,,,,,," + "S" * 201, "row 2: serial is 201 characters long (at most 200 for a code)"),
    ("MLK-1,L-1,M\u202e1,,,1,",
     "row 2: manufacturer_batch holds the invisible character <U+202E> at character 2 (not allowed in a code)"),
    ('MLK-1,"' + "L" * 200_000 + '",,,,1,', "line 2: the file cannot be read: a field is longer than 131,072 characters"),
])
def test_a_receipt_file_is_refused_naming_the_row_and_the_field(row: str, words: str) -> None:
    with pytest.raises(FileRefused) as refused:
        parse_rows(RECEIVE_HEADER + row + "\n")
    assert refused.value.problems == [words]


@settings(max_examples=60)
@given(text=ANY_TEXT.map(lambda t: RECEIVE_HEADER + t))
def test_parsing_an_arbitrary_receipt_file_refuses_in_words_or_reads_rows(text: str) -> None:
    try:
        rows = parse_rows(text)
    except FileRefused as refused:
        assert refused.problems
    else:
        assert all(0 < row.quantity <= MAX_QUANTITY for row in rows)


def _receipts(home: Path) -> tuple[int, int]:
    with sqlite3.connect(home / "data" / "inventory.sqlite3") as conn:
        return (conn.execute("SELECT count(*) FROM receipts").fetchone()[0],
                conn.execute("SELECT count(*) FROM outbox_entries").fetchone()[0])


def test_scanner_app_receive_refuses_an_absurd_quantity_and_a_control_character_recording_nothing(
    tmp_path: Path,
) -> None:
    home = script_home(tmp_path, receiving_catalogue())
    huge = script(home, "receive", "--json", "--item", "MLK-1", "--batch", "L-1", "--quantity", "1e300",
                  "--warehouse", "W1")
    assert huge.returncode == 1 and "Traceback" not in huge.stderr
    assert json.loads(huge.stdout)["problem"] == (
        "quantity 1e+300 is more than the most the station takes (1,000,000,000): nothing was recorded")
    serial = script(home, "receive", "--json", "--item", "DRL-18", "--serial", "SN-\x1b[2J", "--warehouse", "W1")
    assert serial.returncode == 1
    assert ("the command line: Serial number refused: the serial number holds the control character <ESC> "
            "at character 4 (not allowed in a code)") in json.loads(serial.stdout)["problem"]
    assert _receipts(home) == (0, 0)


# -- the config loader ----------------------------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=200),
                      st.builds(lambda t: t.encode("utf-8", "surrogatepass"), ANY_TEXT),
                      st.builds(lambda section, body: f"[{section}]\n{body}".encode("utf-8", "surrogatepass"),
                                st.sampled_from(["scanner", "feedback", "camera", "zoho", "serial_scanner"]),
                                ANY_TEXT)))
def test_loading_a_config_of_arbitrary_bytes_raises_nothing_but_config_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("config") / "config.toml"
    path.write_bytes(data)
    try:
        load_settings(path)
    except ConfigError as refused:
        assert str(refused)


def test_a_config_nested_thousands_deep_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("a = " + "[" * 100_000 + "]" * 100_000)
    with pytest.raises(ConfigError, match="nested too deeply to read"):
        load_settings(path)
