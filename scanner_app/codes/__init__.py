"""Understanding scanned codes (Qt-free): GTIN, UPC-E, ISBN, GS1 element strings and
Digital Link URIs, AIM symbology identifiers, keyboard-layout mismatches, plain text.

The one entry point is :func:`classify`; it returns a :class:`Classification`.

Modules: ``classifier`` (the order of readings), ``product_codes`` (GTIN/UPC-E/ISBN),
``gs1`` and ``gs1_reasons`` (biip, and its errors in words), ``aim`` (``]C1``-style
prefixes), ``layout`` (AZERTY digits), ``display`` (safe on-screen form), ``gtin``
(check-digit arithmetic), ``classification`` (the result type).
"""

from scanner_app.codes.classification import Classification, CodeKind
from scanner_app.codes.classifier import classify

__all__ = ["Classification", "CodeKind", "classify"]
