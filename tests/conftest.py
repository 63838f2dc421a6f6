"""Shared fixtures: every disclosure the tests read comes from data/ (vendored)."""
from __future__ import annotations

from pathlib import Path

import pytest

import budgetkit

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED_TXT = DATA / "seed" / "leshan-shizhong-shebao-2023-budget.txt"
SEED_PDF = DATA / "seed" / "leshan-shizhong-shebao-2023-budget.pdf"
CORPUS = DATA / "corpus"
# Debian's chromium, started as the browser tests need it here: as root, offline, no background connections
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def jiangsu(year: int) -> list[Path]:
    return [CORPUS / f"js-provincial-party-office-{year}-budget-text.pdf",
            CORPUS / f"js-provincial-party-office-{year}-budget-tables.pdf"]


# the real 预算/决算 pair (西南大学 2023) and the two other 决算 of data/corpus
SWU_B = CORPUS / "cq-swu-2023-budget.pdf"
SWU_F = CORPUS / "cq-swu-2023-final.pdf"
XINFANG = CORPUS / "cn-central-xinfang-2024-final.pdf"
FOSHAN = CORPUS / "gd-foshan-metro-2019-final.pdf"


_cache: dict = {}


def load(paths):
    key = tuple(str(p) for p in (paths if isinstance(paths, list) else [paths]))
    if key not in _cache:
        _cache[key] = budgetkit.read(list(key))
    return _cache[key]


NOTEBOOKS = ROOT / "notebooks"
_executed: dict = {}


def executed(path: Path):
    """A notebook run top to bottom, once per test session (tests of its run and of its outputs share it), and
    the files the run left in notebooks/ (none expected)."""
    if path not in _executed:
        import nbformat
        from nbclient import NotebookClient

        before = set(NOTEBOOKS.rglob("*"))
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        _executed[path] = (nb, set(NOTEBOOKS.rglob("*")) - before)
    return _executed[path]


@pytest.fixture(scope="session")
def seed():
    return load(SEED_TXT)


@pytest.fixture(scope="session")
def seed_pdf():
    return load(SEED_PDF)


@pytest.fixture(scope="session")
def wanli2025():
    return load(CORPUS / "sh-putuo-wanli-street-2025-budget.pdf")


def swu_execution():
    """西南大学 2023's 预算 joined to its 决算, once per test session."""
    if "swu_execution" not in _cache:
        _cache["swu_execution"] = budgetkit.execution(load(SWU_B), load(SWU_F))
    return _cache["swu_execution"]


def built_table(tmp_path: Path, title: str, rows: list[list[str]], unit: str = "万元", department: str = "测试单位"):
    """One table in the Word-export text form (tab-prefixed cells, a blank line between rows), read and checked."""
    lines = ["苏州市测试局2026年部门预算", "", title, "", f"\t部门：{department}", f"\t金额单位：{unit}", ""]
    for r in rows:
        lines += ["\t" + c for c in r] + [""]
    path = tmp_path / "built.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    d = budgetkit.read(path)
    return d, budgetkit.check(d)
