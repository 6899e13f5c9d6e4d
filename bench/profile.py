"""Profile what a target misses: top functions by share of time (pyinstrument), sizes on disk.

    python bench/profile.py search --size 10000 --kind common
    python bench/profile.py launch --size 10000
    python bench/profile.py keys --size 10000
    python bench/profile.py add --size 10000 --articles 2000
    python bench/profile.py size --size 10000

Each prints the functions with the largest inclusive and self time, as a share
of the profiled time, then pyinstrument's call tree (trimmed). Libraries come
from the benchmark cache (built there on first use).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common  # noqa: E402


def top_functions(recorded, limit: int = 15) -> str:
    """Inclusive and self time per function (recursion counted once), as % of the total."""
    root = recorded.root_frame()
    total = root.time or 1e-9
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()

    def walk(frame, above: frozenset[str]) -> None:
        name = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        if name not in above:
            inclusive[name] += frame.time
        own[name] += frame.total_self_time
        for child in frame.children:
            walk(child, above | {name})

    walk(root, frozenset())
    lines = [f"profiled {total * 1000:.0f} ms", "inclusive:"]
    lines += [f"  {t / total:6.1%}  {n}" for n, t in inclusive.most_common(limit)]
    lines += ["self:"]
    lines += [f"  {t / total:6.1%}  {n}" for n, t in own.most_common(limit)]
    return "\n".join(lines)


def _report(profiler) -> None:
    print(top_functions(profiler.last_session))
    print(profiler.output_text(unicode=False, color=False, show_all=False)[:12000])


def profile_search(size: int, kind: str, rounds: int) -> None:
    from pyinstrument import Profiler

    from index.library.facade import Library

    lib, _ = common.library_dir(size)
    queries = common.known(size)["queries"][kind]
    library = Library.open(lib)
    for text in queries:
        library.search(text, limit=20)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(rounds):
        for text in queries:
            library.search(text, limit=20)
    profiler.stop()
    print(f"search {kind}: {queries} x{rounds}")
    _report(profiler)


def profile_launch(size: int) -> None:
    """Imports, app creation and the headless run until the first rows (one fresh process)."""
    from pyinstrument import Profiler

    lib, _ = common.library_dir(size)
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    start = time.perf_counter()
    from tui.app import make_app
    from tui.config import Config

    async def first_rows() -> None:
        app = make_app(lib, config=Config(theme="textual-dark"))
        async with app.run_test(size=(120, 40)):
            while not app.screen.results.hits:
                await asyncio.sleep(0.002)

    asyncio.run(first_rows())
    profiler.stop()
    print(f"launch (imports + app + first rows): {time.perf_counter() - start:.2f} s")
    _report(profiler)


def profile_keys(size: int) -> None:
    """The search worker thread during typing: what holds the GIL while keys wait."""
    from pyinstrument import Profiler

    from bench.reader_bench import _pilot_figures

    lib, _ = common.library_dir(size)
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    figures = asyncio.run(_pilot_figures(lib, 1, [], "minister security talks"))
    profiler.stop()
    print(f"keys: {['%.1f ms' % (k * 1000) for k in figures['keys']]}")
    _report(profiler)


def profile_add(size: int, articles: int) -> None:
    """An enriched add of the first ``articles`` corpus records, in-process."""
    from pyinstrument import Profiler

    from index.ingest.writer import add_paths

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-prof-") as tmp:
        src = Path(tmp) / "part.jsonl"
        with open(src, "w", encoding="utf-8") as out:
            for number, rec in enumerate(common.records(size)):
                if number >= articles:
                    break
                from bench.corpus import dump

                out.write(dump(rec) + "\n")
        profiler = Profiler(interval=0.001)
        profiler.start()
        add_paths(Path(tmp) / "lib", [src], workers=0)
        profiler.stop()
    print(f"enriched add of {articles} articles (in-process)")
    _report(profiler)


def profile_size(size: int) -> None:
    """Where the bytes of a library are: Whoosh files by kind, SQLite tables and indexes."""
    import sqlite3

    lib, _ = common.library_dir(size)
    body = common.known(size)["totals"]["body_bytes"]
    print(f"body text {body / 2**20:.1f} MB; library {common.dir_size(lib) / 2**20:.1f} MB")
    by_ext: Counter[str] = Counter()
    for path in (lib / "index").rglob("*"):
        if path.is_file():
            by_ext[path.suffix or path.name] += path.stat().st_size
    for ext, n in by_ext.most_common():
        print(f"  index {ext:10} {n / 2**20:8.1f} MB  {n / body:5.2f}x body")
    conn = sqlite3.connect(f"file:{lib / 'store.sqlite3'}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
    except sqlite3.OperationalError as err:
        rows = []
        print(f"  (no dbstat: {err})")
    for name, n in rows:
        print(f"  store {name:32} {n / 2**20:8.1f} MB  {n / body:5.2f}x body")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("search", "launch", "keys", "add", "size"))
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--kind", default="common")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    if args.what == "search":
        profile_search(args.size, args.kind, args.rounds)
    elif args.what == "launch":
        profile_launch(args.size)
    elif args.what == "keys":
        profile_keys(args.size)
    elif args.what == "add":
        profile_add(args.size, args.articles)
    else:
        profile_size(args.size)


if __name__ == "__main__":
    main()
