"""AIM symbology identifiers."""

from __future__ import annotations

import pytest

from scanner_app.codes import CodeKind
from scanner_app.codes.aim import split_symbology, symbology_name
from scanner_app.codes.classifier import understand


@pytest.mark.parametrize(
    ("scanned", "symbology", "rest"),
    [("]C1011234", "]C1", "011234"), ("]d2x", "]d2", "x"), ("]Q3", "]Q3", ""), ("]A0ABC", "]A0", "ABC")],
)
def test_split(scanned: str, symbology: str, rest: str) -> None:
    assert split_symbology(scanned) == (symbology, rest)


@pytest.mark.parametrize("scanned", ["]", "]]C1", "]1AB", "]Y3ABCDEF", "]é0", "ABC]C1", "]C"])
def test_not_an_identifier(scanned: str) -> None:
    assert split_symbology(scanned) == (None, scanned)


def test_names() -> None:
    assert symbology_name("]C1") == "GS1-128"
    assert symbology_name("]Q1") == "QR Code"
    assert symbology_name("]X9") == "]X9"


def test_text_keeps_its_identifier_out_of_the_text() -> None:
    c = understand("]A0PART-77\r")
    assert c.kind is CodeKind.TEXT
    assert c.text == "PART-77"
    assert c.symbology == "]A0"


def test_identifier_alone_is_empty() -> None:
    c = understand("]C1\r\n")
    assert c.kind is CodeKind.EMPTY
    assert c.symbology == "]C1"
