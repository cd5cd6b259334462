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


# The exact boundaries. The rule (README, "Pointing a scanner at it"): a key that comes no
# later than max_key_gap_ms (default 40 ms) after the one before keeps the run held, one
# that comes later ends it; a terminator ends a held run of at least min_length (default 4)
# characters as a scan. Times below are exact in binary floating point.


def test_a_burst_with_gaps_of_exactly_40_ms_is_still_a_scan() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()  # the default gap: 40 ms
    released, t = feed(d, "4006381333931", 1000.0, 40.0)
    decision = d.on_terminator(99, "enter", t)  # the Enter also exactly 40 ms after the last key
    assert released == []
    assert decision.consume and decision.scan == "4006381333931"
    assert decision.capture_ms == 13 * 40.0


def test_a_key_41_ms_after_the_last_releases_the_run_as_typing() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    feed(d, "ABC", 1000.0, 40.0)  # held: keys at 1000, 1040, 1080
    decision = d.on_text(3, "D", 1080.0 + 41.0)
    assert decision.release == [0, 1, 2]
    assert d.holding  # the new key starts a new run


def test_a_key_exactly_40_ms_after_the_last_keeps_the_run_held() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    feed(d, "ABC", 1000.0, 40.0)
    decision = d.on_text(3, "D", 1080.0 + 40.0)
    assert decision.consume and decision.release == []


def test_anything_over_the_gap_ends_the_run_not_only_a_whole_millisecond() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    feed(d, "ABCD", 0.0, 10.0)  # last key at 30
    decision = d.on_terminator(9, "enter", 30.0 + 40.25)
    assert decision.scan is None and decision.release == [0, 1, 2, 3] and not decision.consume


def test_enter_41_ms_after_the_last_key_is_typing() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    _, t = feed(d, "4006381333931", 1000.0, 40.0)
    decision = d.on_terminator(99, "enter", t - 40.0 + 41.0)
    assert decision.scan is None
    assert decision.release == list(range(13))
    assert not decision.consume  # the Enter goes on to the field after the released keys


def test_idle_releases_only_once_the_gap_has_passed() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()
    feed(d, "AB", 0.0, 5.0)  # last key at 5
    at_the_gap = d.on_idle(5.0 + 40.0)
    assert at_the_gap.release == [] and d.holding
    past_the_gap = d.on_idle(5.0 + 41.0)
    assert past_the_gap.release == [0, 1] and not d.holding


def test_the_gap_follows_the_setting() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector(ScannerSettings(max_key_gap_ms=25.0))
    _, t = feed(d, "ABCDEF", 0.0, 25.0)
    assert d.on_terminator(9, "enter", t).scan == "ABCDEF"
    feed(d, "ABC", 1000.0, 25.0)  # last key at 1050
    assert d.on_text(3, "D", 1050.0 + 26.0).release == [0, 1, 2]


def test_exactly_min_length_characters_is_a_scan_and_one_fewer_is_typing() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector()  # the default: 4
    _, t = feed(d, "ABCD", 0.0, 5.0)
    assert d.on_terminator(9, "enter", t).scan == "ABCD"
    _, t = feed(d, "ABC", 1000.0, 5.0)
    decision = d.on_terminator(9, "enter", t)
    assert decision.scan is None and decision.release == [0, 1, 2] and not decision.consume


def test_min_length_follows_the_setting() -> None:
    d: WedgeBurstDetector[int] = WedgeBurstDetector(ScannerSettings(min_length=6))
    _, t = feed(d, "ABCDEF", 0.0, 5.0)
    assert d.on_terminator(9, "enter", t).scan == "ABCDEF"
    _, t = feed(d, "ABCDE", 1000.0, 5.0)
    assert d.on_terminator(9, "enter", t).release == [0, 1, 2, 3, 4]


def test_the_scanner_defaults_are_a_40_ms_gap_and_4_characters() -> None:
    assert ScannerSettings().max_key_gap_ms == 40.0
    assert ScannerSettings().min_length == 4
    assert ScannerSettings().terminators == ("enter", "tab")
