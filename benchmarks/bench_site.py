"""Research-site benchmark: server time per page at a corpus size (target: under 200 ms at
100,000 papers). Builds N synthetic papers' ``site.db`` only (``--only site``, rules only; not
timed), then renders each kind of page as ``kg serve`` does (query + template), best and
median of ``--repeat`` runs.

    .venv/bin/python benchmarks/bench_site.py --papers 100000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from kg.engine import EngineOptions
    from kg.serve.pages import Pages
    from kg.site import connect
    from kg.stream import stream_build
    from kg.synth import write_jsonl

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build into (or reuse the site.db in) DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-site-") as tmp:
        out = args.keep or Path(tmp) / "out"
        db_path = out / "site.db"
        if not db_path.exists():
            data = write_jsonl(args.papers, Path(tmp) / "papers.jsonl", ROOT / "seeds")
            started = time.perf_counter()
            options = EngineOptions(jobs=args.jobs, fast=True)
            stream_build([data], out, options=options, formats=["site"])
            took = time.perf_counter() - started
            print(f"built site.db of {args.papers:,} papers in {took:.1f} s")
        print(f"site.db: {db_path.stat().st_size / 1e6:.1f} MB")
        db = connect(str(db_path))
        top = {
            t: db.execute(
                "SELECT id FROM entity WHERE type = ? ORDER BY papers DESC LIMIT 1", (t,)
            ).fetchone()[0]
            for t in ("Dataset", "Method", "Metric", "Task")
        }
        paper = db.execute("SELECT id FROM paper ORDER BY ord LIMIT 1 OFFSET 500").fetchone()[0]
        db.close()
        pages = Pages(db_path, timeout=10.0)
        cases = {
            "home": ("/", ""),
            "search": ("/search", "q=diffusion+model"),
            **{f"{t.lower()} (most used)": (f"/{eid}", "") for t, eid in top.items()},
            "paper": (f"/paper/{paper}", ""),
            "dataset as JSON": (f"/{top['Dataset']}.json", ""),
        }
        print(f"{'page':<22} {'best ms':>8} {'median ms':>10} {'KB':>7}")
        for name, (path, query) in cases.items():
            times, size = [], 0
            for _ in range(args.repeat):
                t = time.perf_counter()
                status, body, _ = pages.answer(path, query, None)  # type: ignore[misc]
                times.append((time.perf_counter() - t) * 1000)
                size = len(body)
                assert status == 200, (name, status)
            best, median = min(times), statistics.median(times)
            print(f"{name:<22} {best:>8.1f} {median:>10.1f} {size / 1024:>7.0f}")


if __name__ == "__main__":
    main()
