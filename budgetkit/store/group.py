"""Which files form one disclosure: a rule you can see (``budgetkit build --plan``) and override.

1. A manifest CSV (``--manifest``) with a ``path`` column wins: rows that share a value in its ``disclosure``
   column are one disclosure; its other columns (family, year, stage, publisher …) are kept as metadata.
2. Otherwise names: files in the same folder with the same extension whose names differ only by a part
   suffix listed in ``reference/file_parts.csv`` (``X-text.pdf`` + ``X-tables.pdf``, ``X说明.pdf`` +
   ``X报表.pdf``) are one disclosure, when at least two different parts are present.  Every other file is a
   disclosure of its own.

A disclosure's id is its file name (``a-2026-budget.pdf``) or, for several files, the shared name with the parts
in braces (``js-2019-budget-{tables,text}.pdf``).  When two different files of one build share an id, their
folder names are put in front (``beijing/2026部门预算.pdf``), so an id never depends on how a build was started.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from budgetkit.errors import BadInputError, shown
from budgetkit.reference import load_csv

#: files a build reads when given a folder (the formats :func:`budgetkit.read` understands)
DISCLOSURE_SUFFIXES = (".pdf", ".docx", ".xlsx", ".xlsm", ".txt")


@dataclass
class Group:
    """One disclosure: its id, its files, the rule that grouped them and manifest metadata."""

    disclosure_id: str
    paths: list[Path]
    rule: str  # "manifest" | "name-parts" | "single-file"
    manifest: dict = field(default_factory=dict)


def find_files(inputs) -> list[Path]:
    """Files named and files under folders named (recursively, disclosure formats only), sorted, unique."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(f for f in sorted(p.rglob("*"))
                       if f.is_file() and f.suffix.lower() in DISCLOSURE_SUFFIXES and not f.name.startswith("."))
        elif p.exists():
            out.append(p)
        else:
            raise BadInputError(p, "文件或文件夹不存在", "file or folder not found")
    seen, unique = set(), []
    for f in out:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    return unique


def _part_patterns() -> list[tuple[re.Pattern, str]]:
    pats = []
    for row in sorted(load_csv("file_parts.csv"), key=lambda r: -len(r["suffix"])):
        sep = r"[-_ .]*" if row["separator_optional"] == "yes" else r"[-_ .]+"
        pats.append((re.compile(rf"^(?P<base>.+?){sep}{re.escape(row['suffix'])}$", re.IGNORECASE), row["suffix"]))
    return pats


def split_part(stem: str) -> tuple[str, str] | None:
    """``'x-2019-budget-text'`` → ``('x-2019-budget', 'text')``; None when the name has no part suffix."""
    for pat, suffix in _part_patterns():
        m = pat.match(stem)
        if m and m.group("base").strip("-_ ."):
            return m.group("base").rstrip("-_ ."), stem[len(m.group("base")):].strip("-_ .") or suffix
    return None


def read_manifest(path) -> dict[Path, dict]:
    """Manifest CSV → {resolved file path: row}.  Paths are relative to the manifest's folder."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(path, "无法读取清单", f"cannot read the manifest ({exc})") from None
    if not rows or "path" not in rows[0]:
        raise BadInputError(path, "清单缺少 path 列", "the manifest has no 'path' column")
    out = {}
    for r in rows:
        p = Path(r["path"])
        p = p if p.is_absolute() else path.parent / p
        out[p.resolve()] = {k: v for k, v in r.items() if k and v not in (None, "")}
    return out


def plan(inputs, manifest=None) -> list[Group]:
    """Group the files under ``inputs`` into disclosures (see the module docstring for the rule)."""
    files = find_files(inputs)
    rows = read_manifest(manifest) if manifest else {}
    groups: list[Group] = []
    by_manifest: dict[str, list[Path]] = {}
    rest: list[Path] = []
    for f in files:
        row = rows.get(f.resolve())
        if row and row.get("disclosure"):
            by_manifest.setdefault(row["disclosure"], []).append(f)
        else:
            rest.append(f)
    for did, paths in by_manifest.items():
        meta = _merge_rows([rows[p.resolve()] for p in paths])
        groups.append(Group(did, paths, "manifest", meta))
    by_base: dict[tuple, list[tuple[str, Path]]] = {}
    singles: list[Path] = []
    for f in rest:
        sp = split_part(f.stem)
        if sp:
            by_base.setdefault((f.parent.resolve(), sp[0], f.suffix.lower()), []).append((sp[1], f))
        else:
            singles.append(f)
    named: list[tuple[list[str], list[Path], str]] = []
    for (_, base, ext), members in by_base.items():
        parts = sorted({part for part, _ in members})
        if len(members) >= 2 and len(parts) == len(members):
            members.sort(key=lambda m: m[0])
            name = f"{base}-{{{','.join(p for p, _ in members)}}}{ext}"
            named.append(([name], [f for _, f in members], "name-parts"))
        else:
            singles.extend(f for _, f in members)
    named.extend(([f.name], [f], "single-file") for f in sorted(singles))
    # ids unique within the build: put folder names in front of clashing names until they differ
    depth = {i: 0 for i in range(len(named))}
    while True:
        ids: dict[str, list[int]] = {}
        for i, (name, paths, _) in enumerate(named):
            ids.setdefault(_id_at(name[0], paths[0], depth[i]), []).append(i)
        clashes = [ix for ix in ids.values() if len(ix) > 1]
        if not clashes or all(depth[i] >= len(named[i][1][0].resolve().parents) - 1 for ix in clashes for i in ix):
            break
        for ix in clashes:
            for i in ix:
                depth[i] += 1
    for i, (name, paths, rule) in enumerate(named):
        meta = _merge_rows([rows[p.resolve()] for p in paths if p.resolve() in rows])
        groups.append(Group(_id_at(name[0], paths[0], depth[i]), paths, rule, meta))
    seen: dict[str, int] = {}
    for g in groups:  # a manifest id may still clash with a name: number it, never merge silently
        n = seen.get(g.disclosure_id, 0)
        seen[g.disclosure_id] = n + 1
        if n:
            g.disclosure_id = f"{g.disclosure_id}#{n + 1}"
    return sorted(groups, key=lambda g: g.disclosure_id)


def _id_at(name: str, path: Path, depth: int) -> str:
    """A disclosure id as a person reads it (a GBK file or folder name decoded, see errors.shown)."""
    if depth == 0:
        return shown(name)
    folders = path.resolve().parent.parts[-depth:]
    return shown("/".join([*folders, name]))


def _merge_rows(rows: list[dict]) -> dict:
    """One metadata dict from the manifest rows of a disclosure's files (values the files agree on)."""
    if not rows:
        return {}
    out = {}
    for k in rows[0]:
        if k in ("path", "sha256", "notes"):
            continue
        vals = {r.get(k) for r in rows}
        if len(vals) == 1:
            out[k] = rows[0][k]
    return out


def describe(groups: list[Group]) -> str:
    """The plan as text: one disclosure per line with its rule and files."""
    from budgetkit.errors import one_line

    lines = []
    for g in groups:  # names escaped: a control or bidi character in a file name never reaches the terminal raw
        files = ", ".join(one_line(shown(p.name)) for p in g.paths)
        lines.append(f"{one_line(g.disclosure_id)}\t[{g.rule}]\t{files}")
    return "\n".join(lines)
