"""Whether the rules run compiled (mypyc, built by ``setup.py``) or from their sources.

The compiled modules sit next to their sources and Python would prefer them, even when a
source was edited after the build (an editable install). Their build recorded the sources'
hashes in ``compiled.json``: when any differs, or when ``KG_PURE_PYTHON`` is set, every
compiled module is loaded from its source instead (all of them: compiled modules call each
other directly). Stale modules also raise a warning.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
PACKAGE = __name__.rpartition(".")[0]


def compiled_modules(folder: Path = HERE) -> list[str]:
    """Modules of ``folder`` with a compiled (extension module) file."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return sorted({p.name.split(".")[0] for p in folder.iterdir() if p.name.endswith(suffixes)})


def stale_modules(folder: Path = HERE) -> list[str]:
    """Compiled modules whose source changed since the build (or with no record of it)."""
    stamp = folder / "compiled.json"
    recorded: dict[str, str] = json.loads(stamp.read_text()) if stamp.exists() else {}
    return [
        module
        for module in compiled_modules(folder)
        if recorded.get(module)
        != hashlib.sha256((folder / f"{module}.py").read_bytes()).hexdigest()
    ]


class SourceFinder(importlib.abc.MetaPathFinder):
    """Loads the named modules of this package from their ``.py`` files."""

    def __init__(self, modules: list[str]) -> None:
        self.modules = set(modules)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        package, _, module = fullname.rpartition(".")
        if package != PACKAGE or module not in self.modules:
            return None
        return importlib.util.spec_from_file_location(fullname, HERE / f"{module}.py")


SHARED_LIBRARY = "kg_extract__mypyc"  # (what the compiled modules run; see setup.py)


def shared_library() -> bool:
    """Whether the compiled modules' shared library can be imported. An editable install
    maps only the ``kg`` package, so the library, which sits beside it, is loaded from
    there."""
    if SHARED_LIBRARY in sys.modules or importlib.util.find_spec(SHARED_LIBRARY) is not None:
        return True
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    for path in sorted(HERE.parent.parent.glob(SHARED_LIBRARY + ".*")):
        spec = importlib.util.spec_from_file_location(SHARED_LIBRARY, path)
        if path.name.endswith(suffixes) and spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            sys.modules[SHARED_LIBRARY] = module
            spec.loader.exec_module(module)
            return True
    return False


def choose() -> bool:
    """Set up the imports of the rules; True when they run compiled."""
    modules = compiled_modules()
    if not modules:
        return False
    stale = stale_modules()
    problem = ""
    if stale:
        problem = f"compiled modules older than their sources ({', '.join(stale)})"
    elif not shared_library():
        problem = f"compiled modules without their {SHARED_LIBRARY} (a partial build)"
    if problem:
        warnings.warn(
            f"kg: {problem}; running the sources (reinstall, e.g. `pip install -e .`, "
            "to compile them again)",
            stacklevel=2,
        )
    if problem or os.environ.get("KG_PURE_PYTHON"):
        sys.meta_path.insert(0, SourceFinder(modules))
        return False
    return True


COMPILED = choose()
