"""One code found in an image: what the decoders return and the camera accepts.

``raw`` is the payload as a wedge scanner would type it: GS1 group separators are ASCII 29
(never zxing-cpp's human-readable "(01)..." form), so a camera read and a wedge scan of the
same label are the same string and go through the same ``codes.classify``. A GS1 symbol's
leading FNC1 is not in ``raw``; it is in ``symbology_identifier`` (``]C1``, ``]d2``...),
as a scanner with AIM identifiers on would send it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scanner_app.codes import CodeKind, classify

Point = tuple[int, int]
Corners = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left


@dataclass(frozen=True)
class Read:
    format: str  # the station's name, as in config: "ean13", "code128", "datamatrix" ...
    raw: str  # payload text, ASCII 29 kept
    symbology_identifier: str | None  # AIM identifier, e.g. "]E0", "]C1", "]d2"; None if unknown
    position: Corners  # in the pixels of the image it was read from
    elapsed_ms: float  # decoding time of the pass that found it
    gs1: dict[str, str] | None  # GS1 application identifiers -> values, when the payload is GS1
    payload: bytes = b""  # the symbol's bytes, uninterpreted (binary Data Matrix/QR)

    @property
    def centre(self) -> tuple[float, float]:
        xs = [p[0] for p in self.position]
        ys = [p[1] for p in self.position]
        return sum(xs) / 4, sum(ys) / 4

    def distance_to(self, x: float, y: float) -> float:
        cx, cy = self.centre
        return math.hypot(cx - x, cy - y)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "raw": self.raw,
            "symbology_identifier": self.symbology_identifier,
            "gs1": self.gs1,
            "position": [list(p) for p in self.position],
            "elapsed_ms": round(self.elapsed_ms, 3),
        }


def gs1_of(raw: str, symbology_identifier: str | None) -> dict[str, str] | None:
    """The GS1 application identifiers in a payload, through the same ``classify`` as any scan."""
    classification = classify((symbology_identifier or "") + raw)
    if classification.kind is CodeKind.GS1 and classification.gs1:
        return dict(classification.gs1)
    return None
