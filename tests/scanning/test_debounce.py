"""The debouncer's rules: confirmation, once per presentation, hold-off, centre wins, a pick."""

from __future__ import annotations

from scanner_app.camera.debounce import ReadDebouncer, trusted_on_first_read
from scanner_app.camera.reads import Read

FRAME = (1280, 720)
DT = 1 / 30


def read(raw: str, fmt: str = "code128", at: tuple[int, int] = (640, 360)) -> Read:
    x, y = at
    return Read(fmt, raw, None, ((x - 50, y - 20), (x + 50, y - 20), (x + 50, y + 20), (x - 50, y + 20)), 1.0, None)


def feed(debouncer: ReadDebouncer, frames: list[list[Read]], start: float = 0.0) -> list[str | None]:
    out = []
    for i, reads in enumerate(frames):
        accepted = debouncer.offer(reads, FRAME, start + i * DT)
        out.append(accepted.raw if accepted else None)
    return out


def test_a_code_without_a_check_digit_needs_two_frames() -> None:
    d = ReadDebouncer(hold_off_s=2.0)
    assert feed(d, [[read("PKG-BOX-433")], [read("PKG-BOX-433")], [read("PKG-BOX-433")]]) == [None, "PKG-BOX-433", None]


def test_a_single_misread_is_never_accepted() -> None:
    d = ReadDebouncer(hold_off_s=2.0)
    assert feed(d, [[read("PKG-B0X-433")], [], [read("PKG-BOX-433")], []]) == [None, None, None, None]


def test_two_reads_too_far_apart_do_not_confirm() -> None:
    d = ReadDebouncer(hold_off_s=2.0, confirm_window_s=0.5)
    assert d.offer([read("PKG-BOX-433")], FRAME, 0.0) is None
    assert d.offer([read("PKG-BOX-433")], FRAME, 0.9) is None
    assert d.offer([read("PKG-BOX-433")], FRAME, 0.95) is not None


def test_a_gtin_with_a_valid_check_digit_is_accepted_on_its_first_read() -> None:
    good, bad = read("4000001100118", "ean13"), read("4000001100119", "ean13")
    assert trusted_on_first_read(good) and not trusted_on_first_read(bad)
    assert not trusted_on_first_read(read("4000001100118", "code39"))  # no symbology check to back it
    assert feed(ReadDebouncer(), [[good]]) == ["4000001100118"]
    assert feed(ReadDebouncer(), [[bad]]) == [None]


def test_not_accepted_again_while_in_view_even_past_the_hold_off() -> None:
    d = ReadDebouncer(hold_off_s=1.0)
    frames = [[read("4000001100118", "ean13")] if i % 3 else [] for i in range(1, 150)]  # 5 s, missed in some frames
    assert [r for r in feed(d, frames) if r] == ["4000001100118"]


def test_accepted_again_after_leaving_view_and_the_hold_off() -> None:
    d = ReadDebouncer(hold_off_s=2.0, leave_after_s=0.5)
    code = [read("4000001100118", "ean13")]
    assert d.offer(code, FRAME, 0.0) is not None
    assert d.offer(code, FRAME, 1.0) is None  # back after 1 s: still within the hold-off
    assert d.is_accepted("4000001100118")
    assert d.offer(code, FRAME, 1.6) is None  # still within the hold-off (and seen again at 1.0 s)
    assert d.offer(code, FRAME, 2.5) is not None  # gone 0.9 s, 2.5 s since accepted


def test_zero_hold_off_still_waits_for_the_code_to_leave() -> None:
    d = ReadDebouncer(hold_off_s=0.0, leave_after_s=0.5)
    code = [read("4000001100118", "ean13")]
    assert feed(d, [code] * 30) == ["4000001100118"] + [None] * 29
    assert d.offer(code, FRAME, 30 * DT + 0.6) is not None


def test_the_code_nearest_the_centre_wins() -> None:
    d = ReadDebouncer()
    centre = read("4000001100118", "ean13", at=(700, 380))
    edge = read("96385074", "ean8", at=(100, 100))
    assert feed(d, [[edge, centre], [centre, edge], [edge, centre]]) == ["4000001100118", None, None]
    assert not d.is_accepted("96385074")


def test_a_picked_code_is_accepted_and_then_held_off() -> None:
    d = ReadDebouncer()
    edge = read("96385074", "ean8", at=(100, 100))
    centre = read("PKG-BOX-433", at=(640, 360))
    assert d.choose(edge, 0.0) is edge
    assert feed(d, [[edge, centre], [edge, centre]], start=DT) == [None, "PKG-BOX-433"]
    assert d.offer([edge], FRAME, 0.2) is None
