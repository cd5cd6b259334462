"""Turning any scanned string into a :class:`Classification`: the order things are tried in.

Order matters because the readings overlap (biip reads ``96385074`` as AI 96; an
AZERTY-shifted scan may start with ``(`` like GS1's bracketed form), so:

1. padding (Enter, Tab, spaces, stray GS/EOT/NUL at the ends) is dropped; nothing left
   is ``EMPTY``, more than any barcode holds is ``INVALID``; an AIM identifier (``]C1``)
   is split off and kept as ``symbology``;
2. AZERTY-shifted digits: a scanner/PC layout mismatch (``INVALID``, with ``corrected``);
3. a GS1 Digital Link address, then the bracketed GS1 form ``(01)...``;
4. the scanner said GS1 (``]C1 ]d2 ]Q3 ]e0 ]J1``): a GS1 element string, whatever it holds;
5. 8/12/13/14 plain digits: a GTIN (or ISBN-13), check digit verified; ISBN-10;
6. digit-led with group separators: a GS1 element string; digit-led without any marker:
   GS1 only if it reads strictly as one (see :func:`gs1.guess_element_string`);
7. everything else is ``TEXT``: a candidate SKU, part number, serial, batch or bin code
   (unless the scanner said EAN/UPC, ``]E0``: then it is ``INVALID``).

:func:`classify` never raises; :func:`understand` is the same without the safety net.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, replace

from scanner_app.codes import gs1, product_codes
from scanner_app.codes.aim import (
    is_ean_upc,
    is_gs1_content,
    split_symbology,
    symbology_name,
)
from scanner_app.codes.classification import Classification, CodeKind
from scanner_app.codes.display import split_padding, strip_padding, visible
from scanner_app.codes.layout import azerty_digits, mismatch_reason

_log = logging.getLogger(__name__)

GS = gs1.GS
# The largest barcodes hold ~7,000 digits (QR) or ~3,000 bytes (DataMatrix, PDF417).
MAX_LENGTH = 8000
_SHOWN = 40  # characters of the payload quoted in a reason
_ISO_15434 = "[)>\x1e"  # ANSI MH10.8.2 / ISO 15434 envelope: data identifiers, not GS1
_DIGITS = frozenset("0123456789")


def classify(raw: str, *, gs_substitute: str | None = None) -> Classification:
    """Understand one scanned string; never raises.

    ``gs_substitute`` is what a scanner that cannot send ASCII 29 sends instead (``~``,
    ``<GS>``): in a GS1 element string it is read as a group separator.
    """
    try:
        return understand(raw, gs_substitute=gs_substitute)
    except Exception:  # noqa: BLE001 - the promise to every scan source: an answer, not a traceback
        with contextlib.suppress(Exception):
            _log.exception("classifying %s failed", _preview(raw))
        return _unreadable(raw)


@dataclass(frozen=True)
class _Parts:
    """A scan taken apart: identifier, data, and whether a GS (FNC1) came first."""

    symbology: str | None
    payload: str  # without padding or identifier
    fnc1_first: bool  # a GS before the data: FNC1 in first position, the mark of GS1

    @property
    def element_string(self) -> str:
        return (GS if self.fnc1_first else "") + self.payload

    @property
    def digit_led(self) -> bool:
        return self.payload[:1] in _DIGITS


def _take_apart(text: str) -> _Parts:
    lead, trimmed, _ = split_padding(text)
    symbology, rest = split_symbology(trimmed)
    after_symbology, payload, _ = split_padding(rest)
    return _Parts(symbology, payload, GS in lead or GS in after_symbology)


def understand(raw: str, *, gs_substitute: str | None = None) -> Classification:
    """:func:`classify` without the safety net: a bug raises (the tests call this)."""
    text = _as_text(raw)
    parts = _take_apart(text)
    template = Classification(
        raw=text, kind=CodeKind.EMPTY, display=visible(strip_padding(text) or text), symbology=parts.symbology
    )
    if not parts.payload:
        return template
    if len(parts.payload) > MAX_LENGTH:
        return replace(
            template,
            kind=CodeKind.INVALID,
            reason=f"This is too long to be a barcode ({len(parts.payload):,} characters); "
            "the scanner may be misconfigured.",
        )
    # Where GS1 is in question, the configured substitute is read as GS (and ``raw`` then
    # holds ASCII 29); everywhere else the scan is taken as it was sent.
    gs1_parts, gs1_template = parts, template
    if gs_substitute and gs_substitute in text:
        as_gs1 = text.replace(gs_substitute, GS)
        gs1_parts = _take_apart(as_gs1)
        gs1_template = replace(template, raw=as_gs1, display=visible(strip_padding(as_gs1)))
    return _read(parts, gs1_parts, template, gs1_template)


def _read(
    parts: _Parts, gs1_parts: _Parts, template: Classification, gs1_template: Classification
) -> Classification:
    """Steps 2-7 of the module docstring."""
    payload, symbology = parts.payload, parts.symbology
    corrected = azerty_digits(payload)
    if corrected is not None:
        return replace(
            template,
            kind=CodeKind.INVALID,
            reason=mismatch_reason(visible(payload, _SHOWN), corrected),
            corrected=corrected,
            notes=_about_corrected(corrected),
        )
    if gs1.is_digital_link(payload):
        return gs1.read_digital_link(payload, template)
    if gs1.is_hri(payload):
        return gs1.read_hri(payload, template)
    if is_gs1_content(symbology):
        return gs1.read_element_string(gs1_parts.element_string, gs1_template)

    if product_codes.is_ascii_digits(payload) and not parts.fnc1_first:
        if symbology == "]E3":
            with_add_on = product_codes.read_with_add_on(payload, template)
            if with_add_on is not None:
                return with_add_on
        if len(payload) in (8, 12, 13, 14):
            return product_codes.read_gtin(payload, symbology, template)
    isbn = product_codes.read_isbn(payload, template)
    if isbn is not None:
        return isbn

    if gs1_parts.digit_led and GS in gs1_parts.element_string:
        return gs1.read_element_string(gs1_parts.element_string, gs1_template)
    if parts.digit_led and symbology is None:  # a scanner naming a non-GS1 symbology is believed
        guessed = gs1.guess_element_string(payload, template)
        if guessed is not None:
            return guessed
    if is_ean_upc(symbology):
        assert symbology is not None
        return replace(
            template,
            kind=CodeKind.INVALID,
            reason=f"The scanner reported an {symbology_name(symbology)} barcode, but "
            f"\u201c{visible(payload, _SHOWN)}\u201d is not an EAN/UPC number.",
        )
    return replace(template, kind=CodeKind.TEXT, text=payload, notes=_text_notes(payload))


def _about_corrected(corrected: str) -> tuple[str, ...]:
    """A note on what the corrected scan would have been."""
    meant = understand(corrected)
    if meant.kind is CodeKind.INVALID:
        return (f"{corrected} is not valid either: {meant.reason}",)
    if meant.kind in (CodeKind.GTIN, CodeKind.ISBN):
        return (f"{corrected} would be a valid {meant.gtin_format or meant.kind.value.upper()}",)
    return ()


def _text_notes(payload: str) -> tuple[str, ...]:
    if payload.startswith(_ISO_15434):
        return ("ISO/IEC 15434 message (data identifiers), not a GS1 element string",)
    if GS in payload:
        return ("holds group separators but is not a GS1 element string",)
    return ()


def _as_text(raw: object) -> str:
    """The scanned string; tolerates callers that pass bytes or None despite the type."""
    if isinstance(raw, str):
        return raw
    if raw is None:
        return ""
    if isinstance(raw, (bytes, bytearray)):
        return bytes(raw).decode("utf-8", errors="replace")
    return str(raw)


def _preview(raw: object) -> str:
    try:
        return f"\u201c{visible(_as_text(raw), 80)}\u201d"
    except Exception:  # noqa: BLE001 - str() of a foreign object may raise anything
        return "an unprintable value"


def _unreadable(raw: object) -> Classification:
    """The answer when understanding failed on a bug: invalid, safe to show."""
    try:
        text = _as_text(raw)
        display = visible(strip_padding(text) or text)
    except Exception:  # noqa: BLE001 - the last resort must not fail in turn
        text, display = "", "<unreadable>"
    return Classification(
        raw=text,
        kind=CodeKind.INVALID,
        display=display,
        reason="This code could not be understood (an error in the station; it has been logged).",
    )
