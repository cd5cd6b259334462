"""classify(): empty and text scans, the public API, and the safety net."""

from __future__ import annotations

import logging

import pytest

from scanner_app.codes import Classification, CodeKind, classifier, classify


@pytest.mark.parametrize("scanned", ["", " ", "\r\n", "\t\r", "\x00\x1d\x04", "\ufeff", " \u00a0 "])
def test_nothing_is_empty(scanned: str) -> None:
    c = classify(scanned)
    assert c.kind is CodeKind.EMPTY
    assert not c.is_valid
    assert c.raw == scanned


def test_empty_display_shows_what_came() -> None:
    assert classify("\r\n").display == "<CR><LF>"


@pytest.mark.parametrize(
    "scanned", ["SKU-123", "BIN-A-01-03", "LOT2024/17", "SN 0042", "ABC123", "R&D-2024", "12345", "1234567"]
)
def test_anything_else_is_text(scanned: str) -> None:
    c = classify(f"  {scanned}\r\n")
    assert c.kind is CodeKind.TEXT
    assert c.text == scanned
    assert c.display == scanned
    assert c.is_valid


def test_text_with_inner_controls_is_shown_safely() -> None:
    c = classify("AB\x07CD\u202e")
    assert c.kind is CodeKind.TEXT
    assert c.text == "AB\x07CD"  # the trailing format character is padding
    assert c.display == "AB<0x07>CD"


def test_huge_input_is_invalid_and_short_on_screen() -> None:
    c = classify("A" * 5_000_000)
    assert c.kind is CodeKind.INVALID
    assert c.reason is not None and "too long" in c.reason
    assert len(c.display) <= 201


def test_huge_digit_string_is_fast_enough() -> None:
    c = classify("01" + "1" * 7000)
    assert c.kind in (CodeKind.TEXT, CodeKind.INVALID)


def test_classify_returns_the_contract_type() -> None:
    assert isinstance(classify("x"), Classification)


def test_a_bug_becomes_an_invalid_answer_and_a_log_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(raw: str, *, gs_substitute: str | None = None) -> Classification:
        raise RuntimeError("boom")

    monkeypatch.setattr(classifier, "understand", broken)
    with caplog.at_level(logging.ERROR, logger=classifier.__name__):
        c = classify("AB\x1dCD")
    assert c.kind is CodeKind.INVALID
    assert c.display == "AB<GS>CD"
    assert c.reason is not None and "logged" in c.reason
    assert "boom" in caplog.text
    assert "\x1d" not in caplog.text  # the log line is display-safe too


def test_non_string_input_does_not_raise() -> None:
    assert classify(None).kind is CodeKind.EMPTY  # type: ignore[arg-type]
    assert classify(b"4006381333931").gtin14 == "04006381333931"  # type: ignore[arg-type]
