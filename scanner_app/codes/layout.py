"""Keyboard-layout mismatch: a wedge scanner typing US key codes into an AZERTY PC.

A USB keyboard-wedge scanner sends key *positions*. Set to a US layout while the PC uses
French or Belgian AZERTY, every digit arrives as the unshifted character on that key:
``1234567890`` becomes ``&é"'(-è_çà`` (French) or ``&é"'(§è!çà`` (Belgian), and the
letters A/Q and Z/W swap places. The scan is useless as it is, but what the scanner
meant is certain, so :func:`azerty_digits` gives it back.

Only a string made (nearly) entirely of those characters is flagged, so a real SKU with
an ``&`` or an accented word is not: see :func:`azerty_digits` for the exact rule.
QWERTZ (German) is not detected: there the digits survive and only Y/Z swap, which
cannot be told apart from a real code.
"""

from __future__ import annotations

_FRENCH = "&é\"'(-è_çà"
_BELGIAN = "&é\"'(§è!çà"
_DIGITS = "1234567890"

SHIFTED_DIGITS: dict[str, str] = {
    **dict(zip(_FRENCH, _DIGITS, strict=False)),
    **dict(zip(_BELGIAN, _DIGITS, strict=False)),
}
# Characters a real code almost never holds: one of them makes the reading certain.
_TELLTALE = frozenset("éèçà§")
# AZERTY keys that sit where QWERTY has another letter (received -> meant). The QWERTY M
# key types "," ("?" shifted); the AZERTY M is QWERTY's ";" key, so a received M means
# the string did not come from a US-layout wedge and is not flagged.
_LETTER_SWAPS = {
    "a": "q", "q": "a", "z": "w", "w": "z", ",": "m",
    "A": "Q", "Q": "A", "Z": "W", "W": "Z", "?": "M",
}  # fmt: skip

MIN_SHIFTED = 4
# Without a telltale accented character, only this long a run of &"'(-_! is believed.
MIN_PLAIN_RUN = 8
# "Nearly entirely": at least this share of the characters are shifted digits; the rest
# may only be letters as AZERTY types them (an alphanumeric code), nothing else.
MIN_SHIFTED_SHARE = 0.8


def azerty_digits(payload: str) -> str | None:
    """What the scanner meant, when ``payload`` is digits typed through an AZERTY layout.

    Returns ``None`` unless: at least 4 characters are AZERTY shifted digits; they make up
    at least 80% of the string; the rest are letters as AZERTY types them; and either one of them is an
    accented letter or ``§`` (``é è ç à §``), or the whole string is 8 or more shifted
    digits. Letters in the answer are swapped back (A/Q, Z/W, M).
    """
    if len(payload) < MIN_SHIFTED:
        return None
    shifted = 0
    telltale = False
    for char in payload:
        if char in SHIFTED_DIGITS:
            shifted += 1
            telltale = telltale or char in _TELLTALE
        elif char in "mM" or not (char in _LETTER_SWAPS or (char.isascii() and char.isalpha())):
            return None
    if shifted < MIN_SHIFTED or shifted < MIN_SHIFTED_SHARE * len(payload):
        return None
    if not telltale and not (shifted == len(payload) and shifted >= MIN_PLAIN_RUN):
        return None
    return "".join(SHIFTED_DIGITS.get(char) or _LETTER_SWAPS.get(char, char) for char in payload)


def mismatch_reason(payload_shown: str, corrected: str) -> str:
    """The words for a layout mismatch; ``payload_shown`` must already be display-safe."""
    return (
        "The scanner's keyboard layout does not match this PC's: AZERTY digits received "
        f"(\u201c{payload_shown}\u201d). The scanner most likely sent {corrected}. Set the "
        "scanner to the same keyboard layout as this PC (or this PC to the scanner's) "
        "and scan again."
    )
