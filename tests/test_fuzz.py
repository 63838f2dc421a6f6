"""Property tests (hypothesis): a mutated disclosure reads to a Disclosure or one clear BadInputError line.

The in-suite run is modest; ``make fuzz`` runs the same mutations over 10,000 cases.
"""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetkit.fuzz import SEED_PDF, SEED_TXT, mutate_pdf, mutate_text, run_case, tiny_pdf

SEED_TEXT = SEED_TXT.read_text(encoding="utf-8")
TINY = tiny_pdf()
SEED_PDF_BYTES = SEED_PDF.read_bytes()


def FUZZ(n: int) -> settings:
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.large_base_example])


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

    def busy(p):  # processor time, the bound's measure
        end = time.process_time() + 60
        while time.process_time() < end:
            pass

    p = tmp_path / "x.txt"
    p.write_text("x", encoding="utf-8")
    monkeypatch.setattr(budgetkit, "read", busy)
    assert run_case(p, time_limit=0.3)[0] == "over_time"
    monkeypatch.setattr(budgetkit, "read", lambda p: time.sleep(60))  # waiting: the wall-clock bound, 10 × 0.3 s
    assert run_case(p, time_limit=0.3)[0] == "over_time"


# ---------------------------------------------------------------- the new strategies, each with its oracle

from budgetkit.fuzz import compatible, malformed  # noqa: E402
from budgetkit.fuzz.harness import amounts_key, unsafe_outputs, write_case  # noqa: E402
from budgetkit.fuzz.mutate import CONTROLS, HOSTILE  # noqa: E402
from budgetkit.fuzz.office import mutate_docx, mutate_xlsx  # noqa: E402


@FUZZ(8)
@given(seed_n=st.integers(0, 2**32 - 1))
def test_look_alike_characters_read_to_the_seeds_amounts(seed_n, tmp_path_factory, seed):
    """Kangxi radicals, compatibility ideographs and full-width forms for the seed's characters: what a reader sees
    is unchanged, so the amounts are the seed's."""
    rng = random.Random(seed_n)
    p = tmp_path_factory.mktemp("k") / "case.txt"
    p.write_text(compatible(SEED_TEXT, rng, share=rng.choice([0.5, 1.0])), encoding="utf-8")
    want = amounts_key(seed)
    outcome, detail = run_case(p, expect=lambda d: None if amounts_key(d) == want else "amounts differ")
    assert outcome == "clean", detail


@FUZZ(10)
@given(seed_n=st.integers(0, 2**32 - 1))
def test_malformed_figures_anywhere_are_accounted_for(seed_n, tmp_path_factory):
    """A figure with a look-alike letter or a wrong separator, in any cell of the seed: conservation holds."""
    rng = random.Random(seed_n)
    cells = [k for k, ln in enumerate(SEED_TEXT.split("\n")) if ln.startswith("\t") and "." in ln]
    lines = SEED_TEXT.split("\n")
    for k in rng.sample(cells, 3):
        lines[k] = "\t" + malformed(lines[k][1:], rng)
    p = tmp_path_factory.mktemp("m") / "case.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    _assert_handled(p)


@FUZZ(4)
@given(seed_n=st.integers(0, 2**32 - 1))
def test_excel_formats_and_values_are_read_as_shown(seed_n, tmp_path_factory):
    rng = random.Random(seed_n)
    import budgetkit
    from budgetkit.fuzz.office import SEED_XLSX

    data, ops, same = mutate_xlsx(rng)
    p = tmp_path_factory.mktemp("x") / "case.xlsx"
    p.write_bytes(data)
    want = amounts_key(budgetkit.read(SEED_XLSX)) if same else None
    outcome, detail = run_case(p, expect=None if want is None else
                               lambda d: None if amounts_key(d) == want else f"amounts differ after {ops}")
    assert outcome in ("clean", "clear_error"), f"{outcome}: {detail} ({ops})"


@FUZZ(4)
@given(seed_n=st.integers(0, 2**32 - 1))
def test_word_content_controls_and_hidden_runs_are_read_as_shown(seed_n, tmp_path_factory):
    rng = random.Random(seed_n)
    import budgetkit
    from budgetkit.fuzz.office import SEED_DOCX

    data, ops, same = mutate_docx(rng)
    p = tmp_path_factory.mktemp("w") / "case.docx"
    p.write_bytes(data)
    want = amounts_key(budgetkit.read(SEED_DOCX)) if same else None
    outcome, detail = run_case(p, expect=None if want is None else
                               lambda d: None if amounts_key(d) == want else f"amounts differ after {ops}")
    assert outcome in ("clean", "clear_error"), f"{outcome}: {detail} ({ops})"


@pytest.mark.parametrize("share", [0.6, 1.0])
def test_a_picture_page_inside_a_text_pdf_is_said(tmp_path, share):
    """Page 2 of the PDF is a picture over ``share`` of the page and no text: named in a warning."""
    import budgetkit

    p = tmp_path / "pictures.pdf"
    p.write_bytes(tiny_pdf(pictures=(share,)))
    d = budgetkit.read(p)
    assert any("page(s) 2 are pictures" in w for w in d.warnings)


@FUZZ(3)
@given(seed_n=st.integers(0, 2**32 - 1))
def test_hostile_labels_and_control_characters_give_safe_outputs(seed_n, tmp_path_factory):
    """Formula starts, terminal sequences, addresses and markup in cells and labels of the seed; the command
    line's reports, error lines and CSV files stay safe."""
    rng = random.Random(seed_n)
    lines = SEED_TEXT.split("\n")
    for _ in range(6):
        k = rng.randrange(len(lines))
        lines[k] = rng.choice(HOSTILE + CONTROLS) + lines[k]
    p = tmp_path_factory.mktemp("h") / "case.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    assert unsafe_outputs(p, formats=(rng.choice(["text", "md", "json"]),)) is None


@pytest.mark.parametrize("name", ["乐山预算".encode("gbk"), b"-n --out x", b"a\nb\x1b[2J", "sa\u202efdp".encode()])
def test_odd_file_names_read_as_the_seed_does(tmp_path, seed, name):
    p = write_case(tmp_path, 0, SEED_TXT.read_bytes(), ".txt", name + b".txt")
    want = amounts_key(seed)
    outcome, detail = run_case(p, expect=lambda d: None if amounts_key(d) == want else "amounts differ",
                               outputs=("text",))
    assert outcome == "clean", detail


def test_the_harness_counts_a_lost_figure(tmp_path, monkeypatch):
    """The conservation oracle can fail: a read whose ledger lists a lost figure is 'lost', not 'clean'."""
    import budgetkit

    d = budgetkit.read(SEED_TXT)
    d.meta["conservation"] = {**d.meta["conservation"], "lost": [["x.txt", 1, 1, "1,149.80", "dropped"]]}
    monkeypatch.setattr(budgetkit, "read", lambda p: d)
    assert run_case(SEED_TXT)[0] == "lost"


def test_the_harness_counts_an_unsafe_output(tmp_path, monkeypatch):
    """The output oracle can fail: a report that prints a raw escape sequence is 'unsafe'."""
    import budgetkit.cli as cli

    monkeypatch.setattr(cli, "for_format", lambda text, fmt: text + "\x1b[2J")
    p = tmp_path / "seed.txt"
    p.write_bytes(SEED_TXT.read_bytes())
    assert run_case(p, outputs=("text",))[0] == "unsafe"


def test_shards_add_up_to_one_tally(tmp_path, capsys):
    """``--jobs 2``: two processes, seeds SEED and SEED+1, one tally of every case."""
    from budgetkit.fuzz import main

    assert main(["-n", "3", "--jobs", "2", "--seed", "11", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    counts = [int(ln.rsplit(":", 1)[1]) for ln in out.splitlines()[1:8]]
    assert sum(counts) == 3 and "seed 11…12" in out
    assert (tmp_path / "shard-1" / "tally.json").exists() and (tmp_path / "shard-2" / "tally.json").exists()


def test_the_markdown_oracle_flags_tags_not_their_escaped_text():
    """A link or an <img> tag a renderer makes is unsafe; the escaped text of one (&lt;img … onerror=…&gt;) is
    not."""
    from budgetkit.fuzz.harness import _live_markdown

    assert _live_markdown("see https://x.example/a") and _live_markdown("<img src=x onerror=alert(1)>")
    assert _live_markdown("&lt;img src=x onerror=alert(1)&gt; and `https://x.example/a`") is None
