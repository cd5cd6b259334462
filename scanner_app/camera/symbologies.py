"""The camera's symbology names (``config.CAMERA_FORMATS``) and what each decoder calls them.

zxing-cpp 3 groups formats in families (``Code39`` covers Code 32 and PZN, ``DataBar`` the
omnidirectional and stacked variants, ``QRCode`` Micro QR and rMQR); a station name maps to
the family, and a read is named back from its format. pyzbar knows fewer symbologies: no
Data Matrix, no Aztec, no DataBar Limited (``ZBAR_SYMBOLS`` leaves them out).
"""

from __future__ import annotations

from collections.abc import Sequence

import zxingcpp
from pyzbar.pyzbar import ZBarSymbol

_Z = zxingcpp.BarcodeFormat

ZXING_FORMATS: dict[str, zxingcpp.BarcodeFormat] = {
    "ean13": _Z.EAN13,
    "ean8": _Z.EAN8,
    "upca": _Z.UPCA,
    "upce": _Z.UPCE,
    "code128": _Z.Code128,
    "code39": _Z.Code39,
    "code93": _Z.Code93,
    "codabar": _Z.Codabar,
    "itf": _Z.ITF,
    "databar": _Z.DataBar,
    "databar_expanded": _Z.DataBarExp,
    "databar_limited": _Z.DataBarLtd,
    "datamatrix": _Z.DataMatrix,
    "qrcode": _Z.QRCode,
    "pdf417": _Z.PDF417,
    "aztec": _Z.Aztec,
}

ZBAR_SYMBOLS: dict[str, tuple[ZBarSymbol, ...]] = {
    "ean13": (ZBarSymbol.EAN13, ZBarSymbol.ISBN13),
    "ean8": (ZBarSymbol.EAN8,),
    "upca": (ZBarSymbol.UPCA,),
    "upce": (ZBarSymbol.UPCE,),
    "code128": (ZBarSymbol.CODE128,),
    "code39": (ZBarSymbol.CODE39,),
    "code93": (ZBarSymbol.CODE93,),
    "codabar": (ZBarSymbol.CODABAR,),
    "itf": (ZBarSymbol.I25,),
    "databar": (ZBarSymbol.DATABAR,),
    "databar_expanded": (ZBarSymbol.DATABAR_EXP,),
    "qrcode": (ZBarSymbol.QRCODE,),
    "pdf417": (ZBarSymbol.PDF417,),
}

# zxing-cpp format names (``BarcodeFormat.name``) of the members of a family, where they
# differ from the family's name.
_ZXING_MEMBERS = {
    "ISBN": "ean13",
    "Code32": "code39", "PZN": "code39", "Code39Std": "code39", "Code39Ext": "code39",
    "ITF14": "itf",
    "DataBarOmni": "databar", "DataBarStk": "databar", "DataBarStkOmni": "databar",
    "DataBarExpStk": "databar_expanded",
    "QRCodeModel1": "qrcode", "QRCodeModel2": "qrcode", "MicroQRCode": "qrcode", "RMQRCode": "qrcode",
    "CompactPDF417": "pdf417", "MicroPDF417": "pdf417",
    "AztecCode": "aztec", "AztecRune": "aztec",
}
_ZXING_NAMES = {fmt.name: name for name, fmt in ZXING_FORMATS.items()} | _ZXING_MEMBERS

_ZBAR_NAMES = {sym.name: name for name, syms in ZBAR_SYMBOLS.items() for sym in syms}

# AIM identifiers zbar's symbol type alone determines (pyzbar does not expose the
# modifiers, so a Code 128 or QR read cannot tell GS1 content from plain: left as None).
ZBAR_IDENTIFIERS = {"EAN13": "]E0", "ISBN13": "]E0", "UPCA": "]E0", "UPCE": "]E0", "EAN8": "]E4",
                    "DATABAR": "]e0", "DATABAR_EXP": "]e0"}


def zxing_formats(names: Sequence[str]) -> zxingcpp.BarcodeFormats:
    return zxingcpp.BarcodeFormats([ZXING_FORMATS[n] for n in names])


def zbar_symbols(names: Sequence[str]) -> list[ZBarSymbol]:
    """pyzbar's symbols for ``names``; names zbar cannot read are left out."""
    return [sym for n in names for sym in ZBAR_SYMBOLS.get(n, ())]


def zxing_name(fmt: zxingcpp.BarcodeFormat) -> str:
    """The station's name for a format zxing-cpp reported (its own lower-cased name if unknown)."""
    return _ZXING_NAMES.get(fmt.name, fmt.name.lower())


def zbar_name(symbol_type: str) -> str:
    return _ZBAR_NAMES.get(symbol_type, symbol_type.lower())
