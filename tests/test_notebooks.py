"""Every curated notebook runs top to bottom on the bundled data; a failing cell fails the suite."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_clean(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    first = nb.cells[0].source
    assert "本笔记本教什么" in first and "What this notebook teaches" in first
    assert "换成你自己的文件" in nb.cells[1].source
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    if path.stem.startswith("01"):
        svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
        assert svgs and "社会保障和就业支出" in svgs[0]["data"]["image/svg+xml"]  # a chart, drawn offline
        assert not any("vnd.vegalite" in k for o in outputs for k in o.get("data", {}))
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets  # the explorer / browser widget is displayed


def test_notebook_count():
    assert {p.stem for p in NOTEBOOKS} >= {"01-explore", "02-reconciliation"}
