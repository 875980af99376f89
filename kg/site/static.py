"""``kg site EXPORTS --out DIR``: every page as static files, for GitHub Pages or a lab wiki;
the search runs in the browser on a prebuilt index (``search-index.js``), so it works offline
and from ``file://``."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.export.staging import staging as staging_folder
from kg.site import data
from kg.site.render import page_html, page_json

STATIC = ("site.css", "site.js")


def _write(folder: Path, path: str, context: dict[str, Any], depth: int) -> None:
    target = folder / path if path else folder
    target.mkdir(parents=True, exist_ok=True)
    root = "../" * depth
    (target / "index.html").write_text(
        page_html(context, root or "./", live=False, json_href="index.json"), encoding="utf-8"
    )
    (target / "index.json").write_text(page_json(context), encoding="utf-8")


def write_site(exports: Path, out: Path) -> int:
    """Write the site of ``exports`` (its ``site.db``) into ``out``; returns the page count."""
    db_path = exports / "site.db"
    if not db_path.is_file():
        raise KgError(f"{exports}: no site.db (build it with kg build, which writes it by default)")
    db = data.connect(str(db_path))
    out.mkdir(parents=True, exist_ok=True)
    with staging_folder(out) as staging:
        _write(staging, "", data.home(db), 0)
        _write(staging, "search", data.search(db, ""), 1)
        entities, papers = data.all_pages(db)
        for eid in entities:
            _write(staging, eid, data.entity(db, eid), eid.count("/") + 1)
        for pid in papers:
            path = f"paper/{pid}"
            _write(staging, path, data.paper(db, pid), path.count("/") + 1)
        index = json.dumps(data.search_index(db), ensure_ascii=False, separators=(",", ":"))
        index = index.replace("</", "<\\/")
        (staging / "search-index.js").write_text(f"window.KG_INDEX = {index};\n", encoding="utf-8")
        for name in STATIC:
            (staging / name).write_text(
                (resources.files("kg.site") / "static" / name).read_text(encoding="utf-8"),
                encoding="utf-8",
            )
        if (exports / "graph.html").is_file():
            shutil.copyfile(exports / "graph.html", staging / "graph.html")
        for item in sorted(staging.iterdir()):
            target = out / item.name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            item.replace(target)
    db.close()
    return 2 + len(entities) + len(papers)
