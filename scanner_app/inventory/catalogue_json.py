"""Reading a catalogue file's JSON within the stated limits, refusing in words.

``json.loads`` alone turns hostile files into exceptions no person can act on: a number
of more than 4,300 digits (Python's integer limit) raises ``ValueError``, nesting
thousands deep ``RecursionError``, and a lone surrogate (``"\\udcff"``) is accepted
and only fails when SQLite is asked to store it. :func:`parse_catalogue_json` reads the
text with a bound on each number's digits and then walks the document once (without
recursion) to check its depth and its strings, so every one of those becomes a
:class:`CatalogueJsonRefused` whose message says what and, where it can, where.
"""

from __future__ import annotations

import json
from typing import Any

from scanner_app.codes.display import has_surrogates, visible
from scanner_app.inventory.input_limits import MAX_NESTING, MAX_NUMBER_DIGITS


class CatalogueJsonRefused(ValueError):
    """The text is not a catalogue this station reads; ``str()`` says why, in words."""


class _NumberTooLong(Exception):
    def __init__(self, literal: str) -> None:
        self.literal = literal


def parse_catalogue_json(text: str) -> Any:
    """The JSON document in ``text``; :class:`CatalogueJsonRefused` when it cannot be read
    or breaks a limit (:mod:`~scanner_app.inventory.input_limits`)."""
    try:
        document = json.loads(text, parse_int=_bounded_int, parse_float=_bounded_float)
    except json.JSONDecodeError as exc:
        raise CatalogueJsonRefused(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except _NumberTooLong as exc:
        where = _line_of(text, exc.literal)
        raise CatalogueJsonRefused(
            f"not a catalogue: a number {len(exc.literal):,} digits long{where} "
            f"(at most {MAX_NUMBER_DIGITS} digits)") from None
    except RecursionError:
        raise CatalogueJsonRefused(_too_deep()) from None
    except ValueError as exc:  # anything else json refuses, in its words
        raise CatalogueJsonRefused(f"not valid JSON: {exc}") from None
    _check_document(document)
    return document


def _bounded_int(literal: str) -> int:
    if len(literal) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(literal)
    return int(literal)


def _bounded_float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(literal)
    return float(literal)


def _line_of(text: str, literal: str) -> str:
    at = text.find(literal)
    return "" if at < 0 else f" at line {text.count(chr(10), 0, at) + 1}"


def _too_deep() -> str:
    return f"not a catalogue: the JSON is nested more than {MAX_NESTING} levels deep (a catalogue needs 7)"


def _check_document(document: Any) -> None:
    """Depth and strings of every value, walked with a stack (a deep document cannot
    exhaust Python's recursion here)."""
    stack: list[tuple[Any, int, str]] = [(document, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            _check_string(value, path)
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_NESTING:
            raise CatalogueJsonRefused(_too_deep() + (f" (at {path})" if path else ""))
        if isinstance(value, dict):
            for key, inner in value.items():
                where = f"{path}.{visible(key, 40)}" if path else visible(key, 40)
                _check_string(key, where + " (the key)")
                stack.append((inner, depth + 1, where))
        else:
            stack.extend((inner, depth + 1, f"{path}[{index}]") for index, inner in enumerate(value))


def _check_string(value: str, path: str) -> None:
    if has_surrogates(value):
        raise CatalogueJsonRefused(
            f"not a catalogue: {path or 'the document'} holds a lone surrogate ({visible(value, 40)}): "
            "JSON text must be Unicode characters, and half of a UTF-16 pair is not one")
