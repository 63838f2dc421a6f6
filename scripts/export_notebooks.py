"""Run every notebooks/*.ipynb and write it as static HTML to notebooks/html/ (``make notebooks-html``).

For readers who cannot run Python: tables, charts (inline SVG) and each widget's first view (a static
picture budgetkit displays beside the live widget) are in the page; nothing is fetched from the internet.
The notebooks themselves are the source and are not modified.

    .venv/bin/python scripts/export_notebooks.py [NOTEBOOK ...]
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "budgetkit" / "app" / "share" / "nbconvert" / "templates"
WIDGET = "application/vnd.jupyter.widget-view+json"


def export(path: Path, out_dir: Path) -> Path:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if WIDGET in data and "text/html" in data:  # no kernel in a static page: show the picture
                del data[WIDGET]
    nb.metadata.pop("widgets", None)
    exporter = HTMLExporter(template_name="budgetkit-static", extra_template_basedirs=[str(TEMPLATES)])
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{path.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        print(f"→ {export(p, ROOT / 'notebooks' / 'html')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
