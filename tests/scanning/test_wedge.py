"""The Qt-free burst detector: scanner bursts become scans, typing is released."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scanner_app.config import ScannerSettings
from scanner_app.scanning.wedge import WedgeBurstDetector


def feed(detector: WedgeBurstDetector[int], text: str, start: float, gap: float) -> tuple[list[int], float]:
    released: list[int] = []
    t = start
    for i, ch in enumerate(text):
        decision = detector.on_text(i, ch, t)
        assert decision.consume
        released += decision.release
        t += gap
    return released, t


def test_fast_burst_with_enter_is_a_scan() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector(ScannerSettings())
    released, t = feed(d, "4006381333931", 1000.0, 8.0)
    decision = d.on_terminator(99, "enter", t)
    assert released == []
    assert decision.scan == "4006381333931"
    assert decision.consume
    assert decision.capture_ms == 13 * 8.0
    assert not d.holding


def test_tab_terminator_and_group_separator_preserved() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    _, t = feed(d, "0109506000134352\x1d10ABC", 0.0, 2.0)
    assert d.on_terminator(0, "tab", t).scan == "0109506000134352\x1d10ABC"


def test_human_speed_keys_are_released_in_order() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    released: list[int] = []
    t = 0.0
    for i, ch in enumerate("hello"):
        released += d.on_text(i, ch, t).release
        t += 150.0
    released += d.on_idle(t).release
    decision = d.on_terminator(5, "enter", t + 150)
    assert released == [0, 1, 2, 3, 4]
    assert decision.scan is None and not decision.consume


def test_short_fast_run_is_not_a_scan() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector(ScannerSettings(min_length=4))
    _, t = feed(d, "ab", 0.0, 5.0)
    decision = d.on_terminator(9, "enter", t)
    assert decision.scan is None
    assert decision.release == [0, 1]
    assert not decision.consume  # the Enter is delivered after the released keys


def test_terminator_not_in_settings_releases() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector(ScannerSettings(terminators=("enter",)))
    _, t = feed(d, "ABCDEF", 0.0, 5.0)
    decision = d.on_terminator(9, "tab", t)
    assert decision.scan is None and decision.release == list(range(6))


def test_slow_terminator_after_fast_run_releases() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    _, t = feed(d, "ABCDEF", 0.0, 5.0)
    decision = d.on_terminator(9, "enter", t + 500)
    assert decision.scan is None and decision.release == list(range(6))


def test_other_key_releases_held_keys() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    feed(d, "AB", 0.0, 5.0)
    decision = d.on_other(7, 12.0)
    assert decision.release == [0, 1] and not decision.consume


def test_pause_inside_run_splits_it() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    feed(d, "XY", 0.0, 5.0)
    decision = d.on_text(2, "Z", 300.0)
    assert decision.release == [0, 1]
    _, t = feed(d, "123456", 301.0, 3.0)
    assert d.on_terminator(0, "enter", t).scan == "Z123456"


@given(
    code=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=4, max_size=60),
    gap=st.floats(min_value=0.0, max_value=39.0),
)
def test_any_burst_within_the_gap_is_one_scan(code: str, gap: float) -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    released, t = feed(d, code, 0.0, gap)
    decision = d.on_terminator(-1, "enter", t - gap + min(gap, 39.0))
    assert released == []
    assert decision.scan == code


@given(code=st.text(alphabet="abcdef0123", min_size=1, max_size=30), gap=st.floats(min_value=41.0, max_value=500.0))
def test_typing_slower_than_the_gap_never_scans(code: str, gap: float) -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    released: list[int] = []
    t = 0.0
    for i, ch in enumerate(code):
        released += d.on_text(i, ch, t).release
        t += gap
    decision = d.on_terminator(-1, "enter", t)
    released += decision.release
    assert decision.scan is None
    assert released == list(range(len(code)))
