"""Cutting a serial scanner's byte stream into scans.

A serial (USB CDC / COM) scanner sends each code followed by a terminator (CR by default).
Bytes arrive in arbitrary chunks: a code may be split across reads, or several codes may
come in one. GS1 group separators (ASCII 29) are data and are kept. Bytes are decoded as
UTF-8 where valid, else Latin-1, so no byte is ever lost or raises. A run of more than
``max_length`` bytes without a terminator is garbage from a misconfigured scanner (wrong
baud rate, wrong terminator): it is dropped and reported, not fed to the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass

TERMINATOR_BYTES = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "tab": b"\t"}


@dataclass(frozen=True)
class SerialChunkResult:
    codes: list[str]
    dropped: int = 0  # bytes thrown away as garbage (too long without a terminator)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class SerialFrameDecoder:
    def __init__(self, terminator: str = "cr", max_length: int = 4096) -> None:
        if terminator not in TERMINATOR_BYTES:
            raise ValueError(f"unknown terminator {terminator!r}")
        self.terminator = terminator
        self.max_length = max_length
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> SerialChunkResult:
        """Add bytes as they arrived; returns the complete codes they finished."""
        self._buffer += chunk
        codes: list[str] = []
        # Accept CR, LF and CRLF alike for cr/lf/crlf terminators: scanners configured for
        # one often send the other, and neither can appear inside a barcode's data.
        separators = b"\t" if self.terminator == "tab" else b"\r\n"
        start = 0
        for index, byte in enumerate(self._buffer):
            if byte in separators:
                piece = bytes(self._buffer[start:index])
                if piece.strip(b" \x00"):
                    codes.append(_decode(piece.strip(b" \x00")))
                start = index + 1
        del self._buffer[:start]
        dropped = 0
        if len(self._buffer) > self.max_length:
            dropped = len(self._buffer)
            self._buffer.clear()
        return SerialChunkResult(codes, dropped)

    def reset(self) -> None:
        """Forget a partial code (e.g. after the port was lost mid-code)."""
        self._buffer.clear()
