"""Build the book with Jupyter Book 1.x: warnings are errors, notebooks are executed.

``make book`` calls :func:`build_book` (through ``python -m playbook build``). Execution is cached
(a notebook re-runs only when its code changes), and because Jupyter Book's cache does not notice
changes to the ``playbook`` package, the data or the specs, :func:`build_book` clears the cache
whenever their fingerprint changes. Tests build with ``execute="force"`` into a temporary folder.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from playbook.errors import PlaybookError
from playbook.paths import ROOT

EXECUTE_MODES = ("cache", "force", "off")
#: What the executed notebooks depend on besides their own code.
FINGERPRINTED = ("playbook", "specs", "data", "_config.yml")


def fingerprint(root: Path = ROOT) -> str:
    """A hash of the package, specs, data and configuration (paths, sizes and contents)."""
    digest = hashlib.sha256()
    for name in FINGERPRINTED:
        base = root / name
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for f in files:
            if "__pycache__" in f.parts:
                continue
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


def _jupyter_book() -> str:
    exe = Path(sys.executable).with_name("jupyter-book")
    if not exe.exists():
        raise PlaybookError("jupyter-book is not installed in this environment", expected="`make book` to install it")
    return str(exe)


def build_book(
    *,
    path_output: Path | None = None,
    execute: str = "cache",
    strict: bool = True,
    root: Path = ROOT,
) -> Path:
    """Build the HTML site into ``<path_output>/_build/html`` and return that folder.

    ``execute`` is ``cache`` (re-run changed notebooks), ``force`` (re-run all) or ``off``.
    ``strict`` turns every Sphinx warning into an error (``-W -n --keep-going``).
    """
    if execute not in EXECUTE_MODES:
        raise PlaybookError(f"unknown execution mode '{execute}'", field="execute", expected=" | ".join(EXECUTE_MODES))
    path_output = Path(path_output or root).resolve()
    build_dir = path_output / "_build"
    build_dir.mkdir(parents=True, exist_ok=True)

    stamp = build_dir / ".playbook-fingerprint"
    current = fingerprint(root)
    if execute == "cache" and (not stamp.exists() or stamp.read_text() != current):
        shutil.rmtree(build_dir / ".jupyter_cache", ignore_errors=True)

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = execute
    generated = build_dir / "_config.generated.yml"
    generated.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")

    cmd = [_jupyter_book(), "build", str(root), "--path-output", str(path_output), "--config", str(generated)]
    # --all: a fresh Sphinx environment every time, so a warning is never hidden by an incremental
    # build; notebook execution is still cached by jupyter-cache, so this costs only the parsing.
    cmd += ["--builder", "html", "--all"]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    result = subprocess.run(cmd, cwd=root)
    if result.returncode != 0:
        raise PlaybookError(f"the book build failed (exit code {result.returncode}); see the messages above")
    stamp.write_text(current)
    return build_dir / "html"


def register(commands) -> None:
    """``python -m playbook build``."""
    p = commands.add_parser("build", help="build the book (HTML) with every notebook executed")
    p.add_argument("--execute", choices=EXECUTE_MODES, default="cache", help="notebook execution (default: cache)")
    p.add_argument("--path-output", type=Path, default=None, help="folder to build into (default: the repository)")
    p.add_argument("--no-strict", dest="strict", action="store_false", help="do not treat warnings as errors")
    p.set_defaults(func=lambda a: print(build_book(path_output=a.path_output, execute=a.execute, strict=a.strict) / "index.html"))
