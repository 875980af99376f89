"""Build hook: compile the rules-only extraction modules with mypyc (the rest of the package
is configured in pyproject.toml).

Compiled, the rules run about 15% faster and give the same output (a test compares them with
the sources). Set ``KG_PURE_PYTHON=1`` to install the pure-Python sources only; without mypy or
a C compiler the install falls back to them by itself. ``compiled.json`` records the sources'
hashes, so that ``kg.extract`` can tell when compiled modules are older than their sources
(after an edit in an editable install) and then runs the sources instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup

EXTRACT = Path(__file__).resolve().parent / "kg" / "extract"
GROUP = "kg_extract"  # mypyc's shared library: the top-level module kg_extract__mypyc
# The modules of the rules-only pipeline (not the loader, nor the statistical NER).
COMPILED = (
    "abbreviations",
    "assemble",
    "attrs",
    "coined",
    "components",
    "compounds",
    "criteria",
    "definitions",
    "deltas",
    "ents",
    "gazetteer",
    "introduced",
    "links",
    "lists",
    "metriccontext",
    "naming",
    "numbers",
    "proposing",
    "quantities",
    "results",
    "scan",
    "sentences",
    "wordforms",
    "words",
)


def source_hash(module: str) -> str:
    return hashlib.sha256((EXTRACT / f"{module}.py").read_bytes()).hexdigest()


# The setup.py commands that build extension modules (pip's metadata steps do not).
BUILDS = {"build", "build_ext", "bdist_wheel", "editable_wheel", "develop", "install"}


def clear_previous_build() -> None:
    """Remove the compiled files of an earlier build in place: if this one fails, the
    sources run (not compiled code older than them)."""
    (EXTRACT / "compiled.json").unlink(missing_ok=True)
    for module in COMPILED:
        for old in EXTRACT.glob(f"{module}.*.so"):
            old.unlink()
    for old in EXTRACT.parent.parent.glob(f"{GROUP}__mypyc.*.so"):
        old.unlink()


def ext_modules() -> list[object]:
    if not BUILDS & set(sys.argv[1:]):
        return []
    if {"editable_wheel", "develop", "--inplace", "-i"} & set(sys.argv[1:]):
        clear_previous_build()  # (the compiled files go next to the sources)
    if os.environ.get("KG_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify

        # pip builds in an environment without spaCy and numpy, whose types are then Any:
        # some "type: ignore" comments the full check needs are unused there.
        paths = [f"kg/extract/{module}.py" for module in COMPILED]
        extensions = mypycify(["--no-warn-unused-ignores", *paths], group_name=GROUP)
    except (Exception, SystemExit) as err:  # (no mypy, or it rejects the code: the sources)
        print(f"kg: not compiling the extraction modules ({err}); pure Python", file=sys.stderr)
        return []
    for extension in extensions:
        extension.optional = True  # (no C compiler: the sources are used)
    stamp = {module: source_hash(module) for module in COMPILED}
    (EXTRACT / "compiled.json").write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n")
    return extensions


setup(ext_modules=ext_modules())
