"""Why a GS1 code was rejected, in words a person at the bench understands.

biip's ``ParseError`` messages are written for programmers (``Failed to match
'1725133110X' with GS1 AI (17) pattern '^17(\\d{2}(?:0\\d|1[0-2])...'``). The common ones
are rewritten here ("the expiration date (YYMMDD) in AI (17) must be 6 digits, got
2513..."); anything else is passed on with its quoted values made display-safe.
"""

from __future__ import annotations

import ast
import re

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier

from scanner_app.codes.display import visible

_SHOWN = 40  # characters of a value quoted in a reason

_QUOTED = r"(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_NO_AI = re.compile(rf"Failed to get GS1 Application Identifier from {_QUOTED}")
_NO_MATCH = re.compile(rf"Failed to match {_QUOTED} with GS1 AI \((?P<ai>\d+)\)")
_BAD_DATE = re.compile(rf"Failed to parse GS1 AI \((?P<ai>\d+)\) date/time from {_QUOTED}")
_UNKNOWN_AI = re.compile(r"Unknown GS1 Application Identifier '(?P<ai>[^']*)'")
_NO_PAIRS = re.compile(r"Could not find any GS1 Application Identifiers")
_FORMAT_PART = re.compile(r"(\[)?\+?([NXYZ])(\.\.)?(\d+)")


def _unquote(quoted: str) -> str:
    """The string inside a Python repr as biip wrote it (``'ab\\x1d'`` -> ``ab<GS>``)."""
    try:
        value = ast.literal_eval(quoted)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        value = quoted
    return value if isinstance(value, str) else quoted


def _quote(value: str) -> str:
    return f"\u201c{visible(value, _SHOWN)}\u201d"


def _known_ai(ai: str) -> GS1ApplicationIdentifier | None:
    try:
        found = GS1ApplicationIdentifier.extract(ai)
    except ParseError:
        return None
    return found if found.ai == ai else None  # extract() matches by prefix


def _description(ai: str) -> str | None:
    found = _known_ai(ai)
    return found.description if found else None


def _is_yymmdd(digits: str) -> bool:
    """True when ``digits`` could be a GS1 date: YYMMDD, month 00-12, day 00-31 (the
    ranges biip's patterns accept). A value that fails its AI's pattern although its date
    is fine has the wrong length (``7003`` needs 10 digits), not a wrong date."""
    return len(digits) == 6 and digits.isascii() and digits.isdigit() \
        and int(digits[2:4]) <= 12 and int(digits[4:6]) <= 31


def _ai_words(ai: str) -> str:
    """"the expiration date (YYMMDD) in AI (17)" for a known AI, else "AI (17)"."""
    description = _description(ai)
    if not description:
        return f"AI ({ai})"
    return f"the {description[:1].lower()}{description[1:]} in AI ({ai})"


def format_words(ai: str) -> str:
    """An AI's data format in words: ``N2+N..8`` -> "up to 8 digits"."""
    found = _known_ai(ai)
    if found is None:
        return "its GS1 format"
    layout = found.format
    words = []
    for optional, kind, variable, size in _FORMAT_PART.findall(layout.partition("+")[2]):
        unit = "digit" if kind == "N" else "character"
        plural = "" if size == "1" else "s"
        phrase = f"{'up to ' if variable else ''}{size} {unit}{plural}"
        words.append(f"optionally {phrase}" if optional else phrase)
    return " then ".join(words) or layout


def plain_reason(message: str) -> str:
    """Rewrite a biip ``ParseError`` message for a person (never raises)."""
    if match := _NO_MATCH.search(message):
        ai = match["ai"]
        value = _unquote(match["value"])
        data = value.removeprefix(ai)
        if "(YYMMDD" in (_description(ai) or "") and len(data) >= 6 and not _is_yymmdd(data[:6]):
            return f"{_ai_words(ai)} is not a real date: {_quote(data[:6])}"
        return f"{_ai_words(ai)} must be {format_words(ai)}, got {_quote(data)}"
    if match := _BAD_DATE.search(message):
        return f"{_ai_words(match['ai'])} is not a real date: {_quote(_unquote(match['value']))}"
    if match := _NO_AI.search(message):
        rest = _unquote(match["value"])
        words = f"no GS1 Application Identifier (AI) known at {_quote(rest)}"
        if rest[:1] and not rest[:1].isalnum():
            # A stray symbol where an AI should start: usually a group-separator stand-in.
            words += f" (if the scanner sends {_quote(rest[:1])} for the group separator, set it as the substitute)"
        return words
    if match := _UNKNOWN_AI.search(message):
        return f"({visible(match['ai'], _SHOWN)}) is not a GS1 Application Identifier"
    if _NO_PAIRS.search(message):
        return "no (AI)value pairs found"
    return visible(message, 2 * _SHOWN + 100)
