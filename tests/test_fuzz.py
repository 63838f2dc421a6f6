"""Property tests (hypothesis): a mutated disclosure reads to a Disclosure or one clear BadInputError line.

The in-suite run is modest; ``make fuzz`` runs the same mutations over 10,000 cases.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetkit.fuzz import SEED_PDF, SEED_TXT, mutate_pdf, mutate_text, run_case, tiny_pdf

SEED_TEXT = SEED_TXT.read_text(encoding="utf-8")
TINY = tiny_pdf()
SEED_PDF_BYTES = SEED_PDF.read_bytes()


def FUZZ(n: int) -> settings:
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _assert_handled(path, do_check=False):
    outcome, detail = run_case(path, do_check=do_check, time_limit=30)
    assert outcome in ("clean", "clear_error"), f"{outcome}: {detail}"
    return outcome


@FUZZ(100)
@given(rng=st.randoms(use_true_random=False))
def test_mutated_word_text_reads_or_fails_clearly(rng, tmp_path_factory):
    data, ops = mutate_text(SEED_TEXT, rng)
    p = tmp_path_factory.mktemp("t") / "case.txt"
    p.write_bytes(data)
    _assert_handled(p)


@FUZZ(60)
@given(rng=st.randoms(use_true_random=False))
def test_mutated_tiny_pdf_reads_or_fails_clearly(rng, tmp_path_factory):
    data, ops = mutate_pdf(TINY, rng)
    p = tmp_path_factory.mktemp("p") / "case.pdf"
    p.write_bytes(data)
    _assert_handled(p)


@FUZZ(5)
@given(rng=st.randoms(use_true_random=False))
def test_mutated_seed_pdf_reads_or_fails_clearly(rng, tmp_path_factory):
    data, ops = mutate_pdf(SEED_PDF_BYTES, rng, max_ops=2)
    p = tmp_path_factory.mktemp("s") / "case.pdf"
    p.write_bytes(data)
    _assert_handled(p)


@FUZZ(6)
@given(rng=st.randoms(use_true_random=False))
def test_mutated_word_text_checks_without_crashing(rng, tmp_path_factory):
    data, ops = mutate_text(SEED_TEXT, rng, max_ops=3)
    p = tmp_path_factory.mktemp("c") / "case.txt"
    p.write_bytes(data)
    _assert_handled(p, do_check=True)


def test_the_harness_counts_a_crash_as_unhandled(tmp_path, monkeypatch):
    """The tally must be able to fail: an exception other than BadInputError is 'unhandled'."""
    import budgetkit

    monkeypatch.setattr(budgetkit, "read", lambda p: 1 / 0)
    p = tmp_path / "x.txt"
    p.write_text("x", encoding="utf-8")
    outcome, detail = run_case(p)
    assert outcome == "unhandled" and detail.startswith("ZeroDivisionError")


def test_the_harness_bounds_time(tmp_path, monkeypatch):
    import time

    import budgetkit

    monkeypatch.setattr(budgetkit, "read", lambda p: time.sleep(5))
    p = tmp_path / "x.txt"
    p.write_text("x", encoding="utf-8")
    t = time.monotonic()
    assert run_case(p, time_limit=0.5)[0] == "over_time" and time.monotonic() - t < 3
