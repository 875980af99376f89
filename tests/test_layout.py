"""The package layout the README describes: every module imports on its own (no import
cycle between packages), modules stay short, and no module reaches into another package's
private names."""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
MAX_LINES = 400


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = _modules()


def test_every_module_imports_on_its_own() -> None:
    # One fresh interpreter per module: a cycle shows as a partially initialised module.
    script = "import importlib, sys; importlib.import_module(sys.argv[1])"

    def imported(name: str) -> subprocess.CompletedProcess[str]:
        args = [sys.executable, "-c", script, name]
        return subprocess.run(args, capture_output=True, text=True, check=False)

    names = [n for n in MODULES if n != "kg.__main__"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = dict(zip(names, pool.map(imported, names), strict=True))
    failed = {n: d.stderr.strip().splitlines()[-1] for n, d in done.items() if d.returncode}
    assert len(names) > 80 and failed == {}


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_modules_stay_short(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE.parent)}: {lines} lines"


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_no_private_names_are_imported_across_packages() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        here = _package(".".join(parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg"):
                if _package(node.module) == here:
                    continue
                found += [
                    f"{path.name}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert found == []
