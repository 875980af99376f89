"""The `kg` command line: help, build summary, exit codes, no partial outputs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from tests.conftest import INPUTS, SEEDS

KG = [sys.executable, "-m", "kg"]


@pytest.mark.parametrize("command", [[], ["build"]])
def test_help_explains_each_command(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output
    if command == ["build"]:
        assert "--out" in result.output and "--format" in result.output


def test_build_prints_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Read 249 listings: 183 papers (66 duplicates merged)." in result.output
    assert "Entities:" in result.output and "Results:" in result.output
    assert (tmp_path / "out" / "papers.jsonl").exists()


def test_build_mixed_inputs_and_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(INPUTS),
            str(SEEDS / "000_14174c13bc91e60d.txt"),
            "--out",
            str(tmp_path),
            "--only",
            "jsonl",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["papers.jsonl"]
    assert len((tmp_path / "papers.jsonl").read_text().splitlines()) == 22


def test_bad_input_exits_non_zero_without_outputs(tmp_path: Path) -> None:
    good = tmp_path / "in"
    good.mkdir()
    shutil.copy(SEEDS / "000_14174c13bc91e60d.txt", good)
    (good / "zz_bad.jsonl").write_text('{"title": "A", "summary": "B"}\n{"title": \n')
    out = tmp_path / "out"
    proc = subprocess.run(
        [*KG, "build", str(good), "--out", str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert f"{good / 'zz_bad.jsonl'}:2: invalid JSON" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_failed_export_leaves_previous_outputs_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = CliRunner().invoke(cli, ["build", str(INPUTS), "--out", str(out), "--only", "jsonl"])
    assert first.exit_code == 0
    before = (out / "papers.jsonl").read_bytes()
    (tmp_path / "bad.csv").write_text("title,abstract\nA,\n")
    again = subprocess.run(
        [*KG, "build", str(tmp_path / "bad.csv"), "--out", str(out)], capture_output=True, text=True
    )
    assert again.returncode == 2
    assert (out / "papers.jsonl").read_bytes() == before
