"""One disclosure rule set: no call of ``privacy.protect`` in the package or the notebooks types in
its own threshold or rounding base (a caller that needs other rules passes a ``Policy``)."""

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"threshold", "rounding", "rounding_base", "min_respondents"}


def _sources():
    for path in sorted((ROOT / "playbook").rglob("*.py")):
        yield path.relative_to(ROOT), path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "code":
                lines = "".join(cell["source"]).splitlines()
                code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)
                yield f"{path.relative_to(ROOT)} cell {i}", code


def _protect_calls(code: str):
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "protect":
                yield node


def test_no_call_site_passes_its_own_threshold_or_rounding():
    offending, calls = [], 0
    for where, code in _sources():
        for call in _protect_calls(code):
            calls += 1
            bad = {k.arg for k in call.keywords} & FORBIDDEN
            if bad:
                offending.append(f"{where}:{call.lineno} passes {sorted(bad)}")
    assert calls >= 15  # the walk does find the call sites
    assert not offending, "\n".join(offending)


def test_no_module_keeps_a_threshold_of_its_own():
    for path in sorted((ROOT / "playbook").rglob("*.py")):
        assert "DEFAULT_THRESHOLD" not in path.read_text(encoding="utf-8"), path
