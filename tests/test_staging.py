"""Staging: a killed build's leftovers are cleared by the next build; two builds into one
``--out`` at once are refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.export.staging import OutputBusy, locked
from tests.conftest import INPUTS

LISTING = str(INPUTS / "hf_papers.jsonl")

HOLD = """
import sys
from pathlib import Path
from kg.export.staging import locked
with locked(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def _holder(out: Path) -> subprocess.Popen[str]:
    """A process that holds ``out``'s lock until its stdin closes (or it is killed)."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def test_stale_staging_folders_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stale = out / ".kg-staging-killed"
    (stale / ".spill").mkdir(parents=True)
    (stale / "graph.nt").write_text("half a file")
    args = ["build", LISTING, "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert not list(out.glob(".kg-staging-*"))
    assert (out / "papers.jsonl").stat().st_size > 0


def test_a_second_build_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    child = _holder(out)
    try:
        args = [sys.executable, "-m", "kg", "build", LISTING, "--out", str(out)]
        done = subprocess.run(args, capture_output=True, text=True)
    finally:
        child.communicate("")
    assert done.returncode != 0
    assert "another kg build or add is writing into this folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in out.iterdir()) == []  # nothing written, nothing half-written


def test_the_lock_dies_with_a_killed_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    child = _holder(out)
    with pytest.raises(OutputBusy), locked(out):
        pass
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    result = CliRunner().invoke(cli, ["build", LISTING, "--out", str(out)])
    assert result.exit_code == 0, result.output


def test_the_lock_is_reentrant_within_a_process(tmp_path: Path) -> None:
    with locked(tmp_path), locked(tmp_path):
        assert not list(tmp_path.glob(".kg-staging-*"))
