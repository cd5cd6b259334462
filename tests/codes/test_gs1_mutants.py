"""Where GS1 stops being guessed from bare digits, and the bracketed form's missing values
(issue #14, mutation testing).

- Bare digits are read as GS1 only when they certainly are one (``codes/gs1.py``): up to
  512 characters (past that it is text), and every element must be right: a bare-digit
  string whose later element is wrong is *text* to look up, not an invalid GS1 code
  (nobody said it was GS1).
- In the bracketed form an ``(AI)`` with nothing after it is named, also when the same AI
  appears earlier with a value.
"""

from __future__ import annotations

from scanner_app.codes import CodeKind
from scanner_app.codes.classifier import understand

GTIN = "09506000134352"
UNIT = "01" + GTIN  # 16 characters: the same GTIN again and again is one GS1 message


def test_bare_digits_up_to_512_characters_are_guessed_longer_are_text() -> None:
    at_limit = understand(UNIT * 32)
    assert (len(at_limit.raw), at_limit.kind, at_limit.gs1) == (512, CodeKind.GS1, {"01": GTIN})
    past = understand(UNIT * 33)
    assert (past.kind, past.text) == (CodeKind.TEXT, UNIT * 33)


def test_bare_digits_with_a_wrong_later_element_are_text_not_invalid_gs1() -> None:
    c = understand(f"{UNIT}4141234567890123")  # a GLN with a wrong check digit after the GTIN
    assert (c.kind, c.reason) == (CodeKind.TEXT, None)


def test_the_same_digits_marked_as_gs1_are_refused_with_the_reason() -> None:
    c = understand(f"]C1{UNIT}4141234567890123")
    assert c.kind is CodeKind.INVALID
    assert c.reason == "This GS1 code cannot be read: the GLN in AI (414) has a wrong check digit: expected 8, got 3"


def test_a_repeated_ai_left_empty_at_the_end_is_named() -> None:
    c = understand(f"(10)ABC(01){GTIN}(10)")
    assert (c.kind, c.reason) == (CodeKind.INVALID, "This GS1 code cannot be read: AI (10) has no value")
