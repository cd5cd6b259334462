"""The display-safe form of a scan."""

from __future__ import annotations

from scanner_app.codes.display import (
    DEFAULT_LIMIT,
    ELLIPSIS,
    strip_padding,
    token,
    visible,
)


def test_named_control_tokens() -> None:
    assert visible("a\x1db\x1ec\x04d\x00") == "a<GS>b<RS>c<EOT>d<NUL>"
    assert visible("\r\n\t") == "<CR><LF><TAB>"


def test_other_controls_as_hex_and_format_characters_as_code_points() -> None:
    assert token("\x07") == "<0x07>"
    assert token("\x85") == "<0x85>"
    assert token("\u202e") == "<U+202E>"  # right-to-left override would reverse the code on screen
    assert token("\ud800") == "<U+D800>"  # a lone surrogate cannot even be encoded
    assert token("é") == "é" and token("🙂") == "🙂"


def test_truncated_with_an_ellipsis() -> None:
    shown = visible("x" * 1000)
    assert shown == "x" * DEFAULT_LIMIT + ELLIPSIS
    assert visible("x" * DEFAULT_LIMIT) == "x" * DEFAULT_LIMIT


def test_a_token_is_never_cut_in_half() -> None:
    shown = visible("x" * (DEFAULT_LIMIT - 2) + "\x1d")
    assert shown == "x" * (DEFAULT_LIMIT - 2) + ELLIPSIS


def test_strip_padding_keeps_inner_separators() -> None:
    assert strip_padding("\x1d01\x1d10A\x1d\r\n") == "01\x1d10A"
    assert strip_padding(" \t\x00 ") == ""
