"""The child-process side of ``ZbarDecoder``: libzbar runs here, never in the station.

libzbar can abort the whole process on some inputs (assertions in its QR and DataBar
readers); in this process that costs one frame, not the station. The loop takes
``(width, height, grey bytes, symbol numbers, invert)`` and answers with plain tuples
``(type name, data bytes, (left, top, width, height))``. Imports only pyzbar, so a
spawned worker starts quickly.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any

Request = tuple[int, int, bytes, list[int], bool]
Found = tuple[str, bytes, tuple[int, int, int, int]]


def decode_request(request: Request) -> list[Found]:
    from pyzbar import pyzbar
    from pyzbar.pyzbar import ZBarSymbol

    width, height, pixels, symbols, invert = request
    if invert:
        pixels = _inverted(pixels)
    found = pyzbar.decode((pixels, width, height), symbols=[ZBarSymbol(s) for s in symbols] or None)
    return [(str(d.type), bytes(d.data), (d.rect.left, d.rect.top, d.rect.width, d.rect.height)) for d in found]


def _inverted(pixels: bytes) -> bytes:
    return bytes(pixels).translate(bytes(range(255, -1, -1)))


def serve(conn: Connection) -> None:
    """Answer requests until the parent closes the pipe."""
    while True:
        try:
            request: Any = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(decode_request(request))
