"""``ReadDebouncer``: which of a camera's reads become scans.

A webcam sees the same code in frame after frame, and a blurred frame can yield a misread.
The rules:

- **Confirmation.** A code is accepted once it has been read in two frames less than
  ``confirm_window_s`` apart, except an EAN/UPC/ITF read whose payload is a GTIN with a
  valid check digit, which is accepted on its first read. Why: those symbologies encode each
  digit with fixed module widths and parity patterns and the decoder already verifies the
  mod-10 check digit, so a misread has to defeat both and a single read is as trustworthy
  as a wedge scanner's; they are most of what is scanned, and waiting for a second frame
  would add 33 ms at 30 fps to every product scan. Other symbologies (Code 39 has no
  mandatory check character; Code 128's mod-103 is weak on short payloads) wait for the
  second frame.
- **Once per presentation.** An accepted code is not accepted again while it stays in view
  (read again within ``leave_after_s``: decoders miss a code in some frames of a steady
  shot, so "gone" means unseen for a while), nor within ``hold_off_s`` of its acceptance.
- **Centre wins.** With several codes in view, only the one nearest the frame's centre can be
  accepted (where the person is aiming); the others are outlined but not scanned unless
  picked by hand (:meth:`ReadDebouncer.choose`).

Times are seconds from any monotonic clock, passed in, so the rules are testable.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner_app.camera.reads import Read
from scanner_app.codes import CodeKind, classify

SINGLE_READ_FORMATS = frozenset({"ean13", "ean8", "upca", "upce", "itf"})


def trusted_on_first_read(read: Read) -> bool:
    """An EAN/UPC/ITF read whose payload is a GTIN with a valid check digit."""
    if read.format not in SINGLE_READ_FORMATS:
        return False
    return classify(read.raw).kind in (CodeKind.GTIN, CodeKind.ISBN)


@dataclass
class _Accepted:
    accepted_at: float
    last_seen: float


class ReadDebouncer:
    def __init__(self, hold_off_s: float = 2.0, *, confirm_window_s: float = 0.5, leave_after_s: float = 0.5) -> None:
        self.hold_off_s = hold_off_s
        self.confirm_window_s = confirm_window_s
        self.leave_after_s = leave_after_s
        self._first_seen: dict[str, float] = {}  # raw -> time of an unconfirmed read
        self._accepted: dict[str, _Accepted] = {}

    def offer(self, reads: list[Read], frame_size: tuple[int, int], now: float) -> Read | None:
        """The reads of one frame (``frame_size`` = width, height); returns the read to accept, if any."""
        self._forget(now)  # first: a code back after leaving must not count as never gone
        for read in reads:
            if read.raw in self._accepted:
                self._accepted[read.raw].last_seen = now
        if not reads:
            return None
        width, height = frame_size
        winner = min(reads, key=lambda r: r.distance_to(width / 2, height / 2))
        confirmed = winner.raw in self._first_seen or trusted_on_first_read(winner)
        for read in reads:
            self._first_seen.setdefault(read.raw, now)
        if winner.raw in self._accepted or not confirmed:
            return None
        return self.choose(winner, now)

    def choose(self, read: Read, now: float) -> Read:
        """Accept ``read`` now (a person picked it), whatever the rules say."""
        self._first_seen.pop(read.raw, None)
        self._accepted[read.raw] = _Accepted(accepted_at=now, last_seen=now)
        return read

    def is_accepted(self, raw: str) -> bool:
        """True while ``raw`` is held off (in view, or within the hold-off)."""
        return raw in self._accepted

    def _forget(self, now: float) -> None:
        self._first_seen = {raw: t for raw, t in self._first_seen.items() if now - t <= self.confirm_window_s}
        self._accepted = {
            raw: a for raw, a in self._accepted.items()
            if now - a.last_seen < self.leave_after_s or now - a.accepted_at < self.hold_off_s
        }
