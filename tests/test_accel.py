"""The compiled rules (mypyc, built by setup.py): used when built and current, the same
output as the sources, and never used once a source changed after the build."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import kg.extract
from kg.extract.accel import SourceFinder, compiled_modules, stale_modules

ROOT = Path(__file__).resolve().parent.parent
EXT = sysconfig.get_config_var("EXT_SUFFIX")

# Extracts the seeds in both modes and prints whether the rules ran compiled, then the
# extractions as JSON lines.
DUMP = """
import dataclasses, json, sys
import kg.extract, kg.extract.scan
from kg.extract import extract_papers, load_nlp
from kg.ingest import read_paths
papers, _ = read_paths([sys.argv[1]])
print(json.dumps([kg.extract.COMPILED, kg.extract.scan.__file__]))
for model in (False, True):
    for x in extract_papers(papers, load_nlp(model=model)):
        print(json.dumps(dataclasses.asdict(x), sort_keys=True, default=str))
"""


def _dump(pure: bool) -> tuple[bool, str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k != "KG_PURE_PYTHON"}
    if pure:
        env["KG_PURE_PYTHON"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", DUMP, str(ROOT / "seeds")],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    ).stdout.splitlines()
    compiled, scan_file = json.loads(out[0])
    return compiled, scan_file, out[1:]


def _fake_build(folder: Path, modules: dict[str, str]) -> None:
    """Sources, empty stand-ins for compiled files, and the build's record of the sources."""
    for module, source in modules.items():
        (folder / f"{module}.py").write_text(source)
        (folder / f"{module}{EXT}").write_bytes(b"")
    stamp = {m: hashlib.sha256(s.encode()).hexdigest() for m, s in modules.items()}
    (folder / "compiled.json").write_text(json.dumps(stamp))


CAN_COMPILE = (
    shutil.which("cc") is not None
    and (Path(sysconfig.get_paths()["include"]) / "Python.h").exists()
    and os.environ.get("KG_PURE_PYTHON") is None
)


@pytest.mark.skipif(
    not CAN_COMPILE, reason="installed without compiling (KG_PURE_PYTHON, no C compiler)"
)
def test_the_install_compiled_the_rules() -> None:
    assert kg.extract.COMPILED, "setup.py did not compile kg/extract (see the pip output)"
    assert set(compiled_modules()) >= {"assemble", "proposing", "results", "scan"}
    assert stale_modules() == []


@pytest.mark.skipif(
    not CAN_COMPILE, reason="installed without compiling (KG_PURE_PYTHON, no C compiler)"
)
def test_the_console_script_runs_the_compiled_rules_from_any_folder(tmp_path: Path) -> None:
    """``kg`` started from its script (sys.path has no source tree) still finds the compiled
    modules' shared library, which an editable install does not map."""
    kg_script = Path(sys.executable).parent / "kg"
    listing = ROOT / "tests" / "data" / "inputs" / "hf_papers.jsonl"
    done = subprocess.run(
        [str(kg_script), "build", str(listing), "--out", str(tmp_path / "out"), "--fast", "-q"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k not in ("KG_PURE_PYTHON", "PYTHONPATH")},
    )
    assert done.returncode == 0, done.stderr
    assert "running the sources" not in done.stderr
    probe = (
        "import kg.extract, kg.extract.scan; print(kg.extract.COMPILED, kg.extract.scan.__file__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True
    ).stdout.split()
    assert out[0] == "True" and not out[1].endswith(".py")


@pytest.mark.slow
def test_compiled_rules_extract_exactly_what_the_sources_do() -> None:
    compiled, compiled_file, compiled_out = _dump(pure=False)
    pure, pure_file, pure_out = _dump(pure=True)
    assert not pure and pure_file.endswith("scan.py")
    if kg.extract.COMPILED:
        assert compiled and compiled_file.endswith(EXT)
    assert len(pure_out) == 2 * 183
    assert compiled_out == pure_out


def test_a_source_edited_after_the_build_makes_its_compiled_module_stale(
    tmp_path: Path,
) -> None:
    _fake_build(tmp_path, {"rules": "X = 1\n", "scan": "Y = 2\n"})
    assert compiled_modules(tmp_path) == ["rules", "scan"]
    assert stale_modules(tmp_path) == []
    (tmp_path / "rules.py").write_text("X = 3\n")
    assert stale_modules(tmp_path) == ["rules"]
    (tmp_path / "compiled.json").unlink()  # (no record: nothing is known to be current)
    assert stale_modules(tmp_path) == ["rules", "scan"]


def test_the_source_finder_loads_only_the_package_modules_it_names() -> None:
    finder = SourceFinder(["scan"])
    spec = finder.find_spec("kg.extract.scan", None)
    assert spec is not None and spec.origin is not None and spec.origin.endswith("scan.py")
    assert finder.find_spec("kg.extract.results", None) is None
    assert finder.find_spec("other.scan", None) is None


def test_stale_compiled_modules_run_from_their_sources_with_a_warning(tmp_path: Path) -> None:
    """A copy of kg whose compiled record no longer matches a source: importing kg.extract
    warns and loads every compiled module from its ``.py`` file."""
    if not kg.extract.COMPILED:
        pytest.skip("the rules are not compiled here")
    copy = tmp_path / "kg"
    shutil.copytree(ROOT / "kg", copy, ignore=shutil.ignore_patterns("__pycache__", "model"))
    for shared in ROOT.glob(f"kg_extract__mypyc*{EXT}"):
        shutil.copy(shared, tmp_path)
    scan = copy / "extract" / "scan.py"
    scan.write_text(scan.read_text() + "\nEDITED = True\n")
    script = (
        "import warnings; warnings.simplefilter('error')\n"
        "try:\n    import kg.extract\nexcept UserWarning as w:\n    print('warned:', w)\n"
        "warnings.simplefilter('ignore')\n"
        "import kg.extract, kg.extract.scan, kg.extract.results\n"
        "print(kg.extract.COMPILED, kg.extract.scan.EDITED, kg.extract.results.__file__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "KG_PURE_PYTHON"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "PYTHONPATH": str(tmp_path)},
        cwd=tmp_path,
    ).stdout
    assert "warned: kg: compiled modules older than their sources (scan)" in out
    assert f"False True {copy / 'extract' / 'results.py'}" in out
