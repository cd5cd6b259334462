"""Cutting a serial byte stream into scans."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scanner_app.scanning.serial_framing import SerialFrameDecoder

codes_st = st.lists(
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E).filter(lambda c: c != " ") | st.just("\x1d"),
            min_size=1, max_size=40),
    min_size=1, max_size=8,
)


def test_split_and_joined_chunks() -> None:
    d = SerialFrameDecoder("cr")
    assert d.feed(b"40063813").codes == []
    assert d.feed(b"33931\rSN-1\rSN").codes == ["4006381333931", "SN-1"]
    assert d.feed(b"-2\r").codes == ["SN-2"]


def test_crlf_and_lf_accepted_for_line_terminators() -> None:
    d = SerialFrameDecoder("cr")
    assert d.feed(b"A-1\r\nB-2\nC-3\r").codes == ["A-1", "B-2", "C-3"]


def test_group_separator_kept() -> None:
    d = SerialFrameDecoder("crlf")
    assert d.feed(b"0104006381333931\x1d10LOT7\r\n").codes == ["0104006381333931\x1d10LOT7"]


def test_tab_terminator() -> None:
    d = SerialFrameDecoder("tab")
    assert d.feed(b"ABC\tDEF\r\t").codes == ["ABC", "DEF\r"]


def test_invalid_utf8_falls_back_to_latin1() -> None:
    d = SerialFrameDecoder()
    assert d.feed(b"CAF\xc9\r").codes == ["CAFÉ"]
    assert d.feed("CAFÉ\r".encode()).codes == ["CAFÉ"]


def test_garbage_without_terminator_is_dropped_and_reported() -> None:
    d = SerialFrameDecoder(max_length=16)
    result = d.feed(b"\xff" * 40)
    assert result.codes == [] and result.dropped == 40
    assert d.feed(b"OK-1\r").codes == ["OK-1"]


def test_reset_forgets_partial_code() -> None:
    d = SerialFrameDecoder()
    d.feed(b"HALF")
    d.reset()
    assert d.feed(b"WHOLE\r").codes == ["WHOLE"]


@given(codes=codes_st, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=10))
def test_any_chunking_gives_the_same_codes(codes: list[str], cuts: list[int]) -> None:
    stream = b"".join(c.encode() + b"\r" for c in codes)
    d = SerialFrameDecoder()
    got: list[str] = []
    last = 0
    for cut in sorted({min(c, len(stream)) for c in cuts}):
        got += d.feed(stream[last:cut]).codes
        last = cut
    got += d.feed(stream[last:]).codes
    assert got == [c.strip(" ") for c in codes if c.strip(" ")]
