"""Helpers for the codes tests: build valid codes instead of trusting remembered ones."""

from __future__ import annotations


def check_digit(body: str) -> str:
    """GS1 mod-10 check digit, written independently of scanner_app.codes.gtin."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str(-total % 10)


def with_check(body: str) -> str:
    return body + check_digit(body)


def with_wrong_check(body: str, offset: int = 1) -> str:
    """``body`` with a check digit that is wrong by ``offset`` (1-9)."""
    return body + str((int(check_digit(body)) + offset) % 10)
