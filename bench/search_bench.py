"""Search: a query plus its top 20 hits with highlighted snippets, ours next to the peers.

Each query kind (common word, rare word, two words, phrase, field, prefix,
fuzzy) is run with several query strings picked by the generator from what
the corpus holds, in three phases, each engine alike:

- *From disk* (information, no target): the engine's files are dropped from
  the OS page cache (``posix_fadvise(DONTNEED)``), then each query is answered
  once by a freshly opened index: the first searches after the machine has
  forgotten the files (some kernels page out file pages idle for a minute:
  see docs/benchmarks.md).
- *Cold*: the files are read into the page cache first (untimed, followed
  by one untimed search of a word no kind asks for), then a
  freshly opened index answers each query, the open included, in three
  passes (:data:`COLD_ROUNDS`), with nothing kept from earlier queries (our
  decoded postings and compiled highlighting patterns are dropped first); the
  process is warmed once beforehand, untimed (imports, a first open and
  search), as the reader does at launch.
- *Warm*: one open index answers every query ``repeats`` times after a first
  untimed pass.

The *worst case* rows (ours only: the peers have other grammars) run, cold
and warm alike, the slowest shapes of query the grammar allows
(:func:`bench.queries.worst_queries`): the shortest prefixes, wide unions,
a negation and a date range over nearly every article, and all of them in
one query.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench.common import (
    Row,
    known,
    library_dir,
    log,
    median,
    ms,
    p95,
    page_in,
    page_out,
    verdict,
)
from bench.peers import TantivySearch, WhooshSearch, tantivy_index, whoosh_index
from bench.queries import worst_queries

KINDS = ("common", "rare", "two_words", "phrase", "field", "prefix", "fuzzy")
#: Cold passes over a kind's queries: with five queries, one pass would make the
#: p95 the single slowest open, at the mercy of the machine (page-cache reclaim).
COLD_ROUNDS = 3
TARGET = 0.050
#: The worst-case rows' target (p95), met at 100k articles.
WORST_TARGET = 0.100


class OurSearch:
    def __init__(self, path) -> None:
        from index.library.facade import Library

        self.lib = Library.open(path)

    def search(self, kind: str, text: str, limit: int = 20) -> int:
        return self.lib.search(text, limit=limit).total

    def warm(self) -> None:
        import gc

        self.lib.warm()  # what the reader runs at launch
        gc.freeze()  # and then freezes what it loaded (tui.launch.settle)

    def close(self) -> None:
        self.lib.close()


def _measure(
    opener: Callable[[], object],
    queries: dict[str, list[str]],
    repeats: int,
    files: Path,
    forget: Callable[[], None] = lambda: None,
    kinds: tuple[str, ...] = KINDS,
) -> dict[str, dict]:
    # The process warmed once, untimed (imports, first open), as the reader does at launch.
    engine = opener()
    getattr(engine, "warm", lambda: None)()
    engine.search("rare", "warmup")  # type: ignore[attr-defined]
    getattr(engine, "close", lambda: None)()

    def fresh(text: str, kind: str) -> tuple[float, int]:
        forget()  # nothing decoded for an earlier query helps a cold one
        start = time.perf_counter()
        engine = opener()
        found = engine.search(kind, text)  # type: ignore[attr-defined]
        seconds = time.perf_counter() - start
        getattr(engine, "close", lambda: None)()
        return seconds, found

    out: dict[str, dict] = {}
    for kind in kinds:
        page_out(files)
        disk = [fresh(text, kind)[0] for text in queries[kind]]
        page_in(files)
        # Reading the files disturbs the process (the next query runs slower): one
        # untimed query of a word no kind asks for settles it.
        fresh("warmup", "rare")
        cold, warm, totals = [], [], []
        for round_ in range(COLD_ROUNDS):
            for text in queries[kind]:
                seconds, found = fresh(text, kind)
                cold.append(seconds)
                if not round_:
                    totals.append(found)
        engine = opener()
        for text in queries[kind]:
            engine.search(kind, text)  # type: ignore[attr-defined]
        for _ in range(repeats):
            for text in queries[kind]:
                start = time.perf_counter()
                engine.search(kind, text)  # type: ignore[attr-defined]
                warm.append(time.perf_counter() - start)
        getattr(engine, "close", lambda: None)()
        out[kind] = {"cold": cold, "warm": warm, "disk": disk, "totals": totals}
    return out


def _forget_ours() -> None:
    """Drop what our process keeps between searches: decoded postings, highlighting patterns.

    ``re``'s own cache is left alone: it holds Whoosh's fixed patterns, which
    the reader compiles once (purging it would make every fresh open recompile
    the query parser's), and may still hold a query's highlighting pattern
    (cheap to compile next to a cold search).
    """
    from index.search.accel.postings import clear_cache
    from index.search.snippets import clear_patterns

    clear_cache()
    clear_patterns()


def _cell(sample: list[float]) -> str:
    return f"{ms(median(sample))} / {ms(p95(sample))}"


def _row(kind: str, phase: str, samples: tuple[list, list, list], **fields: str) -> Row:
    """One search row: ours, raw Whoosh's and tantivy's samples of one kind and phase."""
    o, w, t = samples
    return Row(
        section="search",
        figure=f"{kind.replace('_', ' ')} ({phase}), median / p95",
        ours=_cell(o),
        whoosh=_cell(w),
        tantivy=_cell(t),
        data={"ours": o, "whoosh": w, "tantivy": t},
        **fields,
    )


def run(size: int, repeats: int = 5) -> list[Row]:
    lib, _ = library_dir(size)
    tan_path, _ = tantivy_index(size)
    who_path, _ = whoosh_index(size)
    queries = known(size)["queries"]
    log("search: ours")
    ours = _measure(lambda: OurSearch(lib), queries, repeats, lib, forget=_forget_ours)
    log("search: raw Whoosh")
    whoosh = _measure(lambda: WhooshSearch(who_path), queries, repeats, who_path)
    log("search: tantivy")
    tantivy = _measure(lambda: TantivySearch(tan_path), queries, repeats, tan_path)
    log("search: ours, worst case")
    worst = worst_queries(queries)
    ours_worst = _measure(
        lambda: OurSearch(lib),
        {"worst": worst},
        repeats,
        lib,
        forget=_forget_ours,
        kinds=("worst",),
    )["worst"]
    rows = []
    for kind in KINDS:
        for phase in ("warm", "cold"):
            o, w, t = samples = ours[kind][phase], whoosh[kind][phase], tantivy[kind][phase]
            rows.append(
                _row(
                    kind,
                    phase,
                    samples,
                    target="p95 <= 50 ms",
                    ratio=f"{p95(o) / p95(w):.2f} / {p95(o) / p95(t):.0f}",
                    verdict=verdict(p95(o) <= TARGET),
                    note=", ".join(queries[kind])
                    if phase == "warm"
                    else "hits: ours "
                    + ",".join(map(str, ours[kind]["totals"]))
                    + " / whoosh "
                    + ",".join(map(str, whoosh[kind]["totals"]))
                    + " / tantivy "
                    + ",".join(map(str, tantivy[kind]["totals"])),
                )
            )
        o, w, t = samples = ours[kind]["disk"], whoosh[kind]["disk"], tantivy[kind]["disk"]
        rows.append(
            _row(
                kind,
                "from disk",
                samples,
                target="(info)",
                ratio=f"{p95(o) / p95(w):.2f} / {p95(o) / p95(t):.2f}",
                note="the engine's files dropped from the page cache first; one pass",
            )
        )
    for phase in ("warm", "cold"):
        sample = ours_worst[phase]
        rows.append(
            Row(
                section="search",
                figure=f"worst case ({phase}), median / p95",
                target="p95 <= 100 ms at 100k",
                ours=_cell(sample),
                verdict=verdict(p95(sample) <= WORST_TARGET),
                note=" | ".join(worst)
                if phase == "warm"
                else "hits: " + ",".join(map(str, ours_worst["totals"])),
                data={"ours": sample},
            )
        )
    return rows
