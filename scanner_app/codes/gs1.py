"""GS1 element strings and GS1 Digital Link URIs, parsed with biip.

Three ways in, one way out (:func:`from_element_strings`):

- :func:`read_element_string`: data the caller *knows* is a GS1 element string (the
  scanner said so with ``]C1``/``]d2``/``]Q3``/..., or it holds group separators);
  anything biip rejects is ``INVALID`` with the reason in words.
- :func:`read_hri`: the bracketed human-readable form, ``(01)09506000134352(10)ABC``.
- :func:`read_digital_link`: ``https://id.gs1.org/01/09506000134352/10/ABC?17=251231``
  and the same path on any domain.
- :func:`guess_element_string`: digits with no marker at all (a GS1-128 read by a scanner
  that drops FNC1 and sends no AIM identifier). Only a strict reading is accepted, and a
  failure means "not GS1" (``None``), not "invalid GS1".

The result keeps raw AI values as strings (dates as YYMMDD, as printed), and carries the
GTIN-14 from AI 01 (or 02, the contained GTIN, when there is no 01) for matching.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message

from scanner_app.codes.classification import Classification, CodeKind
from scanner_app.codes.display import visible
from scanner_app.codes.gs1_reasons import plain_reason
from scanner_app.codes.gtin import gs1_check_digit, to_gtin14

GS = "\x1d"

# A guess from bare digits is only tried on strings a GS1-128 could hold (48 characters)
# or a GS1 DataMatrix without separators plausibly would; past that it is text.
GUESS_MAX_LENGTH = 512
# Identifiers that open a GS1 message read from bare digits (SSCC, GTIN, contained GTIN).
_GUESS_FIRST_AIS = ("00", "01", "02")

# Digital Link primary keys (GS1 Digital Link standard 1.2, as biip knows them) followed
# by a value that starts with at least 6 digits (every primary key's value does: GTINs,
# SSCCs, GLNs and company prefixes). "/2023/01/15/" in a blog address does not qualify.
_DIGITAL_LINK_KEY = re.compile(
    r"/(?:00|01|253|255|401|402|414|415|417|8003|8004|8006|8010|8013|8017|8018)/[0-9]{6}"
)
_HRI_AI = re.compile(r"\((\d{2,4})\)")

_WHAT_CHECK_DIGIT = {"gtin": "GTIN", "sscc": "SSCC", "gln": "GLN"}


def _invalid(template: Classification, why: str) -> Classification:
    return replace(template, kind=CodeKind.INVALID, reason=f"This GS1 code cannot be read: {why}")


def _check_digit_problem(element: GS1ElementString) -> str | None:
    """Why an element's GTIN, SSCC or GLN is wrong (biip found it), else ``None``."""
    for attribute, name in _WHAT_CHECK_DIGIT.items():
        error = getattr(element, f"{attribute}_error", None)
        if not error:
            continue
        value = element.value
        if value.isascii() and value.isdigit() and "check digit" in error:
            return (
                f"the {name} in AI ({element.ai.ai}) has a wrong check digit: "
                f"expected {gs1_check_digit(value[:-1])}, got {value[-1]}"
            )
        return f"the {name} in AI ({element.ai.ai}) is not valid: {visible(error, 120)}"
    return None


def from_element_strings(elements: list[GS1ElementString], template: Classification) -> Classification:
    """A ``GS1`` classification from parsed element strings, or ``INVALID`` with why."""
    if not elements:
        return _invalid(template, "it holds no element strings")
    values: dict[str, str] = {}
    for element in elements:
        ai = element.ai.ai
        if not element.value.isascii():  # GS1 GenSpecs 7.11: AI values are CSET 82 (ASCII), digits 0-9
            return _invalid(template, f"AI ({ai}) holds \u201c{visible(element.value, 40)}\u201d: GS1 values "
                                      "are ASCII only (a numeric AI takes the digits 0-9)")
        problem = _check_digit_problem(element)
        if problem:
            return _invalid(template, problem)
        if ai in values and values[ai] != element.value:
            # GS1 General Specifications 4.14: one AI, one value per message.
            return _invalid(
                template,
                f"AI ({ai}) appears twice with different values "
                f"(\u201c{visible(values[ai], 40)}\u201d, \u201c{visible(element.value, 40)}\u201d)",
            )
        values[ai] = element.value
    gtin_ai = "01" if "01" in values else "02" if "02" in values else None
    gtin14 = to_gtin14(values[gtin_ai]) if gtin_ai else None
    if gtin_ai and gtin14 is None:  # biip validated it; this only guards the contract
        return _invalid(template, f"the GTIN in AI ({gtin_ai}) is not valid")
    hri = "".join(element.as_hri() for element in elements)
    return replace(
        template,
        kind=CodeKind.GS1,
        gs1=values,
        gtin14=gtin14,
        notes=(*template.notes, f"GS1 {visible(hri)}"),
    )


def read_element_string(payload: str, template: Classification) -> Classification:
    """Parse ``payload`` (group separators as ASCII 29) as a GS1 element string."""
    data = payload.strip(GS)
    if not data:
        return _invalid(template, "it holds no element strings")
    try:
        message = GS1Message.parse(data)
    except (ParseError, ValueError) as error:
        return _invalid(template, plain_reason(str(error)))
    return from_element_strings(list(message.element_strings), template)


def guess_element_string(payload: str, template: Classification) -> Classification | None:
    """``GS1`` when unmarked ``payload`` is certainly a GS1 element string, else ``None``.

    Bare digit strings are everywhere (serials, part numbers, order numbers) and biip
    reads almost any of them as *some* AI (``96385074`` is AI 96 = "96" + "385074"). So
    a guess must clear every bar: it starts with AI 00, 01 or 02 (what a logistics or
    trade-item label starts with); biip parses the whole string; it holds at least two
    element strings; and the leading SSCC or GTIN has a correct check digit, which a
    random number passes one time in ten. Anything short of that is text.
    """
    if len(payload) > GUESS_MAX_LENGTH or not payload.startswith(_GUESS_FIRST_AIS):
        return None
    try:
        message = GS1Message.parse(payload)
    except (ParseError, ValueError):
        return None
    elements = list(message.element_strings)
    if len(elements) < 2 or elements[0].ai.ai not in _GUESS_FIRST_AIS:
        return None
    if _check_digit_problem(elements[0]) is not None:
        return None
    found = from_element_strings(elements, template)
    return found if found.kind is CodeKind.GS1 else None


def is_hri(payload: str) -> bool:
    """True for the bracketed human-readable form, ``(01)...``."""
    return _HRI_AI.match(payload) is not None


def read_hri(payload: str, template: Classification) -> Classification:
    """Parse ``(01)09506000134352(10)ABC123`` as GS1."""
    try:
        message = GS1Message.parse_hri(payload)
    except (ParseError, ValueError) as error:
        return _invalid(template, plain_reason(str(error)))
    elements = list(message.element_strings)
    written = _HRI_AI.findall("".join(payload.split()))
    if len(written) != len(elements):
        # biip skips an "(AI)" with nothing after it; say so instead of losing it.
        parsed = {element.ai.ai for element in elements}
        missing = next((ai for ai in written if ai not in parsed), written[-1] if written else "?")
        return _invalid(template, f"AI ({missing}) has no value")
    return from_element_strings(elements, template)


def is_digital_link(payload: str) -> bool:
    """True for an http(s) address whose path carries a GS1 primary key and its value."""
    if not payload[:8].lower().startswith(("https://", "http://")):
        return False
    try:
        path = urlsplit(payload).path
    except ValueError:  # e.g. a malformed [IPv6] host: not a link biip could read either
        return False
    return _DIGITAL_LINK_KEY.search(path) is not None


def read_digital_link(payload: str, template: Classification) -> Classification:
    """Parse a GS1 Digital Link URI (see :func:`is_digital_link`) as GS1."""
    try:
        uri = GS1DigitalLinkURI.parse(payload)
    except (ParseError, ValueError) as error:
        return _invalid(template, plain_reason(str(error)))
    return from_element_strings(list(uri.element_strings), template)
