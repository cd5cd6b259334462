"""Making a scanned string safe to show: visible tokens for control characters, a length cap.

Scanners send group separators (ASCII 29), record separators, EOT, NULs and worse; a
misconfigured one sends anything. None of that may reach a label, a log line or a JSON
document raw: :func:`visible` turns every invisible or layout-breaking character into a
token (``<GS>``, ``<0x07>``, ``<U+202E>``) and cuts the result to a length a screen can
hold. :func:`strip_padding` and :func:`has_content` say what counts as "nothing".

A lone surrogate (what Python makes of a byte that is not UTF-8 in a command line,
``surrogateescape``) cannot be written to SQLite, a file or a terminal:
:func:`without_surrogates` turns each into U+FFFD, the replacement character.
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_LIMIT = 200
ELLIPSIS = "…"

# Names people at a bench (and support staff reading a history) recognise.
_NAMED = {
    0x00: "NUL",
    0x04: "EOT",
    0x09: "TAB",
    0x0A: "LF",
    0x0D: "CR",
    0x1B: "ESC",
    0x1C: "FS",
    0x1D: "GS",
    0x1E: "RS",
    0x1F: "US",
    0x7F: "DEL",
}

# Cc: C0/C1 controls. Cf: format characters (zero-width joiners, bidi overrides that can
# make a code read backwards on screen, BOM). Cs: lone surrogates (cannot be encoded).
# Zl/Zp: line and paragraph separators (break a one-line label).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


REPLACEMENT = "\ufffd"
_SURROGATES = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds a lone surrogate (it cannot be encoded as UTF-8)."""
    return not text.isascii() and _SURROGATES.search(text) is not None


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate as U+FFFD; ``text`` itself when it has none."""
    if not has_surrogates(text):  # the common case, kept cheap for every scan
        return text
    return _SURROGATES.sub(REPLACEMENT, text)


def is_unsafe(char: str) -> bool:
    """True for a character that must never be shown raw."""
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def token(char: str) -> str:
    """The visible form of one character: itself when safe, else a ``<...>`` token."""
    if not is_unsafe(char):
        return char
    code = ord(char)
    name = _NAMED.get(code)
    if name is not None:
        return f"<{name}>"
    if code <= 0xFF:
        return f"<0x{code:02X}>"
    return f"<U+{code:04X}>"


def visible(text: str, limit: int = DEFAULT_LIMIT) -> str:
    """``text`` with every unsafe character as a token, cut to ``limit`` characters.

    When cut, the result ends in an ellipsis (so it is at most ``limit + 1`` long). Only
    the first ``limit`` characters are ever looked at, so a huge input costs nothing.
    """
    pieces: list[str] = []
    length = 0
    for char in text[: limit + 1]:
        shown = token(char)
        if length + len(shown) > limit:
            pieces.append(ELLIPSIS)
            break
        pieces.append(shown)
        length += len(shown)
    return "".join(pieces)


def is_padding(char: str) -> bool:
    """White space, terminators and control/format characters: nothing a code is made of."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def split_padding(text: str) -> tuple[str, str, str]:
    """``(leading padding, core, trailing padding)`` of ``text``."""
    start, end = 0, len(text)
    while start < end and is_padding(text[start]):
        start += 1
    while end > start and is_padding(text[end - 1]):
        end -= 1
    return text[:start], text[start:end], text[end:]


def strip_padding(text: str) -> str:
    """``text`` without leading and trailing padding (Enter, Tab, spaces, GS, EOT, NUL, BOM)."""
    return split_padding(text)[1]


def has_content(text: str) -> bool:
    """True when ``text`` holds anything but padding."""
    return any(not is_padding(char) for char in text)
