"""What users install: the wheel holds every file ``kg`` opens by path.

The files are not listed by hand: a child process runs the commands a user runs (build
with every export, a canned query, the endpoint's static routes, an eval) with an audit
hook that records every file opened inside the ``kg`` package; each one must be in the
wheel built from this tree. (``.ci/install-check`` then installs that wheel into a fresh
virtual environment outside the tree and runs the same commands from there.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

CHILD = r"""
import json, os, sys, urllib.request
from pathlib import Path

opened = set()

def hook(event, args):
    if event == "open" and isinstance(args[0], (str, os.PathLike)):
        opened.add(os.path.realpath(os.fspath(args[0])))

sys.addaudithook(hook)

import kg
from kg.cli import cli
from kg.query import open_graph
from kg.serve import Endpoint, make_server, serve_in_thread

seeds, out, gold, report = sys.argv[1:5]
def run(*args):
    cli.main(list(args), standalone_mode=False)

run("build", seeds, "--out", out, "--quiet")
run("query", "leaderboard", "--graph", out, "-p", "dataset=CIFAR-10", "-p", "metric=FID")
run("query", "--list")
run("eval", gold, "--pred", out)
server = make_server(Path(out), Endpoint(open_graph(Path(out))), port=0)
serve_in_thread(server)
base = f"http://127.0.0.1:{server.server_address[1]}"
for route in ("/ontology.ttl", "/shapes.ttl", "/context.jsonld", "/"):
    urllib.request.urlopen(base + route).read()
server.shutdown()

package = os.path.realpath(os.path.dirname(kg.__file__))
data = sorted(
    os.path.relpath(p, os.path.dirname(package)) for p in opened
    if p.startswith(package + os.sep) and not p.endswith((".py", ".pyc", ".so"))
)
Path(report).write_text(json.dumps(data))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "KG_PURE_PYTHON": "1"}  # (package data does not depend on mypyc)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(ROOT)],
        check=True, env=env, capture_output=True,
    )
    (path,) = out.glob("kg-*.whl")
    return zipfile.ZipFile(path)


@pytest.mark.slow
def test_wheel_holds_every_file_kg_opens(wheel: zipfile.ZipFile, tmp_path: Path) -> None:
    report = tmp_path / "opened.json"
    subprocess.run(
        [sys.executable, "-c", CHILD, str(SEEDS), str(tmp_path / "out"),
         str(ROOT / "tests" / "data" / "seed_dev.jsonl"), str(report)],
        check=True, cwd=tmp_path, capture_output=True,
    )
    opened = json.loads(report.read_text())
    # The run opened the package data of every stage: the check below is not vacuous.
    for expected in ("kg/context.jsonld", "kg/queries/leaderboard.rq", "kg/ontology.ttl",
                     "kg/extract/config.cfg", "kg/extract/patterns/methods.jsonl"):
        assert expected in opened
    missing = sorted(set(opened) - set(wheel.namelist()))
    assert missing == []


def test_canned_queries_have_one_source() -> None:
    """The top-level ``queries/`` the users asked for is the package's folder, not a copy."""
    assert (ROOT / "queries").resolve() == (ROOT / "kg" / "queries").resolve()
    assert sorted(p.name for p in (ROOT / "queries").glob("*.rq"))
