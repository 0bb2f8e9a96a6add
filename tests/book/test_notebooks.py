"""Notebooks: committed clean, built on the `parameters` convention, and executing without error."""

import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("**/*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts]


def test_there_are_notebooks():
    assert any(p.name == "00-getting-started.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: a code cell has outputs (strip them)"
            assert cell.get("execution_count") is None, f"{path.name}: a code cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_follows_the_skeleton(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "a single # title first"
    headings = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()]
    for section in ("## Overview", "## Prerequisites", "## Summary"):
        assert section in headings, f"{path.name}: missing {section}"
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one cell tagged 'parameters'"


# Execution: every notebook runs in both languages in the whole-book build (tests/test_book.py,
# warnings and cell errors fail it), so it is not run a third time here.


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_is_out_of_the_readers_way(path):
    """Every code cell is collapsed on the site (``hide-input``): a reader sees the results first."""
    nb = nbformat.read(path, as_version=4)
    shown = [c.source.splitlines()[0] for c in nb.cells
             if c.cell_type == "code" and not {"hide-input", "remove-input"} & set(c.metadata.get("tags", []))]
    assert not shown, f"{path.name}: code cells shown in full: {shown[:3]}"


#: The notebooks whose every table has a caption from the catalogue (issue 22).
CAPTIONED = [p for p in NOTEBOOKS if p.name[:2] in {"01", "11", "12", "13", "14", "15", "16", "17", "18", "19",
                                                     "20", "30", "31", "50"}]


def _table_calls(source: str):
    """The calls of ``figures.table`` in a cell: ``x.pipe(figures.table, ...)`` or ``figures.table(x, ...)``."""
    import ast

    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        piped = (isinstance(func, ast.Attribute) and func.attr == "pipe" and node.args
                 and ast.unparse(node.args[0]) == "figures.table")
        if piped or ast.unparse(func) == "figures.table":
            yield node


@pytest.mark.parametrize("path", CAPTIONED, ids=lambda p: p.name)
def test_every_table_has_a_caption(path):
    """Every table a page shows goes through ``figures.table`` with a ``caption=`` (what the table is,
    in the page's language; the synthetic notice is added when its numbers are synthetic)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert ".style." not in cell.source and ".style\n" not in cell.source, \
            f"{path.name}: a table styled by hand; use .pipe(figures.table, lang, caption=...)"
        for call in _table_calls(cell.source):
            assert any(k.arg == "caption" for k in call.keywords), \
                f"{path.name}: a table without caption=: {cell.source.splitlines()[0]}"
