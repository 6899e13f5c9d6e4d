"""Run the newsdesk benchmarks and print the table (see docs/benchmarks.md).

    python bench/run.py                 # full: 100k articles
    python bench/run.py --quick         # 10k articles, a few minutes once cached
    python bench/run.py --size 1000 --only search
    python bench/run.py --rebuild       # regenerate the corpus and rebuild every index

Generated corpora and built indexes are cached under bench/.cache (or
$NEWSDESK_BENCH_CACHE), keyed by size and generator version.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common  # noqa: E402

SECTIONS = ("search", "reader", "add")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="newsdesk benchmarks")
    parser.add_argument("--quick", action="store_true", help="10k articles, fewer repeats")
    parser.add_argument("--size", type=int, help="articles (default 100,000; 10,000 with --quick)")
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="run only this section (repeatable)"
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="regenerate the corpus and rebuild the cached indexes",
    )
    parser.add_argument(
        "--keep-library",
        action="store_true",
        help="reuse a cached library built by older index code (figures of then)",
    )
    parser.add_argument("--repeats", type=int, help="warm repeats per query (default 5, quick 3)")
    args = parser.parse_args(argv)
    size = args.size or (10_000 if args.quick else 100_000)
    repeats = args.repeats or (3 if args.quick else 5)
    mode = "quick" if args.quick else "full"
    common.REBUILD = args.rebuild
    common.KEEP_LIBRARY = args.keep_library
    sections = args.only or list(SECTIONS)

    from bench import add_bench, reader_bench, report, search_bench

    start = time.perf_counter()
    _compile_code_under_test()
    common.log(
        f"newsdesk benchmarks: {size:,} articles, sections {', '.join(sections)},"
        f" {common.CORES} cores, cache {common.CACHE}"
    )
    common.library_dir(size)  # generate and build first, so their logs come first
    rows: list[common.Row] = []
    failed = []
    jobs = {
        "search": lambda: search_bench.run(size, repeats=repeats),
        "reader": lambda: reader_bench.run(size, runs=repeats),
        "add": lambda: add_bench.run(
            size, raw_count=600 if args.quick else 2000, repeats=2 if args.quick else 3
        ),
    }
    for name in SECTIONS:
        if name not in sections:
            continue
        try:
            rows += jobs[name]()
        except Exception:  # noqa: BLE001 - one broken section must not lose the others
            failed.append(name)
            common.log(f"section {name} failed:\n{traceback.format_exc()}")
    report.show(rows, size, mode)
    if failed:
        print(f"sections that failed (see the log above): {', '.join(failed)}")
    common.log(f"done in {time.perf_counter() - start:.0f} s")
    return 1 if failed else 0


def _compile_code_under_test() -> None:
    """Byte-compile the ``index`` and ``tui`` packages the benchmarks run.

    An installed wheel ships them compiled and ``make run`` compiles them; an
    editable checkout under ``PYTHONDONTWRITEBYTECODE`` would recompile every
    module at each launch, and the launch figures would measure that.
    """
    import compileall

    import index
    import tui

    for package in (index, tui):
        compileall.compile_dir(str(Path(package.__file__).parent), quiet=1)


if __name__ == "__main__":
    sys.exit(main())
