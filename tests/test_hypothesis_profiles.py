"""Hypothesis's CI profile: the same examples every run, a stated budget, no local database."""

from __future__ import annotations

from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_derandomised_with_a_stated_budget_and_no_database() -> None:
    ci = settings.get_profile("ci")
    assert ci.derandomize is True
    assert ci.database is None
    assert ci.max_examples == 100
    assert ci.deadline is None


def test_developers_keep_their_failing_examples() -> None:
    dev = settings.get_profile("dev")
    assert dev.derandomize is False and dev.database is not None


def test_ci_selects_the_ci_profile() -> None:
    assert "export HYPOTHESIS_PROFILE=ci" in (ROOT / ".ci" / "run").read_text()
