"""Adding: raw articles against bare ``nlp.pipe``, enriched records, re-add, memory, size.

* Raw add: ``newsdesk add raw.jsonl --workers CORES`` (a whole process: start,
  reading, NER in worker processes, writing) on a few hundred corpus articles
  without their entities, against bare spaCy in a fresh process: the same
  model loaded with every component but ``ner`` excluded, plus a sentencizer,
  ``nlp.pipe(texts, n_process=CORES)``. Throughput is articles per second; the
  verdict uses the pipe alone (model already loaded), the stricter baseline.
  Each runs twice, alternated (baseline, ours, ours, baseline), and the means
  are compared.
* Enriched add: the build of the benchmark library from the corpus
  (``newsdesk add`` of the enriched shards), timed when the library was built.
* Re-add of the unchanged corpus: the same ``newsdesk add`` again.
* Memory: peak RSS of the ``add`` process (and of its process tree) when the
  library was built, at 10k and at the full size.
* Size on disk: the library directory against the sum of the body bytes.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import (
    CORES,
    NEWSDESK,
    Row,
    corpus_dir,
    dir_size,
    known,
    library_dir,
    log,
    median,
    p95,
    records,
    run_measured,
    verdict,
)
from bench.peers import tantivy_index, whoosh_index

_BASELINE = r"""
import json, sys, time
t0 = time.perf_counter()
import spacy
from index.enrich.ner import default_model_name
name, n_process, path = default_model_name(), int(sys.argv[1]), sys.argv[2]
texts = [json.loads(line)["body"] for line in open(path, encoding="utf-8")]
names = spacy.load(name).component_names
nlp = spacy.load(name, exclude=[c for c in names if c != "ner"])
nlp.add_pipe("sentencizer")
t1 = time.perf_counter()
ents = 0
for doc in nlp.pipe(texts, n_process=n_process, batch_size=64):
    ents += len(doc.ents)
t2 = time.perf_counter()
print(json.dumps({"pipe": t2 - t1, "load": t1 - t0, "ents": ents, "model": name,
                  "pipes": nlp.pipe_names}))
"""


def _raw_sample(size: int, count: int, folder: Path) -> Path:
    """The first ``count`` corpus articles as plain JSONL (no entities, no marker)."""
    path = folder / "raw.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for number, rec in enumerate(records(size)):
            if number >= count:
                break
            plain = {k: rec[k] for k in ("title", "body", "date", "source", "url", "author")}
            plain["title"] = f"{plain['title']} ({number})"
            handle.write(json.dumps(plain, ensure_ascii=False) + "\n")
    return path


def _children_cpu() -> float:
    """CPU seconds (user + system) of every waited-for child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def raw_add(size: int, count: int, rounds: int = 2) -> dict:
    """Our raw add and the bare ``nlp.pipe`` baseline on the same ``count`` articles.

    Both are child processes, so their CPU seconds (their own worker
    processes included, once reaped) are measured too: on few cores, the CPU
    our writer spends beside NER bounds the throughput. The two alternate,
    baseline first, then in reverse order (ABBA for two rounds), and the
    ratio is of their mean times: a machine's speed can drift by 10% and
    more from one minute to the next, and a single pair would measure the
    drift as much as the code.
    """
    pipes: list[float] = []
    scripts: list[float] = []
    ours: list[float] = []
    base_cpu: list[float] = []
    ours_cpu: list[float] = []
    peaks: list[int] = []
    base: dict = {}
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-raw-") as tmp:
        folder = Path(tmp)
        raw = _raw_sample(size, count, folder)
        pairs = (("base", "ours"), ("ours", "base"))
        order = [kind for n in range(rounds) for kind in pairs[n % 2]]
        for number, kind in enumerate(order):
            cpu0 = _children_cpu()
            if kind == "base":
                log(f"add: bare nlp.pipe baseline on {count} raw articles, n_process={CORES}")
                done = subprocess.run(
                    [sys.executable, "-c", _BASELINE, str(CORES), str(raw)],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=Path(__file__).resolve().parents[1],
                )
                base = json.loads(done.stdout.strip().splitlines()[-1])
                pipes.append(base["pipe"])
                scripts.append(base["pipe"] + base["load"])
                base_cpu.append(_children_cpu() - cpu0)
                continue
            log(f"add: newsdesk add of {count} raw articles, --workers {CORES}")
            result = run_measured(
                [
                    str(NEWSDESK),
                    "add",
                    str(raw),
                    "--library",
                    str(folder / f"lib{number}"),
                    "--workers",
                    str(CORES),
                    "-q",
                ]
            )
            if result.returncode != 0:
                raise SystemExit(f"raw add failed: {result.stderr[-1000:]}")
            ours.append(result.seconds)
            ours_cpu.append(_children_cpu() - cpu0)
            peaks.append(result.peak_tree)
    return {
        "count": count,
        "ours_s": sum(ours) / len(ours),
        "pipe_s": sum(pipes) / len(pipes),
        "ours_cpu_s": sum(ours_cpu) / len(ours_cpu),
        "base_cpu_s": sum(base_cpu) / len(base_cpu),
        "script_s": sum(scripts) / len(scripts),
        "base": base,
        "order": order,
        "ours_runs": ours,
        "pipe_runs": pipes,
        "ours_peak_tree": max(peaks),
    }


def run(size: int, raw_count: int, repeats: int = 3) -> list[Row]:
    lib, build = library_dir(size)
    facts = known(size)
    body_bytes = facts["totals"]["body_bytes"]
    rows: list[Row] = []

    raw = raw_add(size, raw_count)
    ours_rate = raw["count"] / raw["ours_s"]
    pipe_rate = raw["count"] / raw["pipe_s"]
    script_rate = raw["count"] / raw["script_s"]
    rows.append(
        Row(
            "add",
            f"raw add, {raw['count']} articles, {CORES} processes (articles/s)",
            ">= 85% of bare nlp.pipe",
            f"{ours_rate:.1f}/s",
            ratio=f"{ours_rate / pipe_rate:.0%} of pipe",
            verdict=verdict(ours_rate >= 0.85 * pipe_rate),
            note=f"bare nlp.pipe {pipe_rate:.1f}/s (pipe only), {script_rate:.1f}/s with model load"
            f" ({ours_rate / script_rate:.0%}); ours is the whole 'newsdesk add' process;"
            f" mean of {len(raw['ours_runs'])} runs each, alternated"
            f" {' '.join(raw['order'])}: ours "
            + " / ".join(f"{t:.1f}" for t in raw["ours_runs"])
            + " s, pipe "
            + " / ".join(f"{t:.1f}" for t in raw["pipe_runs"])
            + " s;"
            f" CPU seconds, ours {raw['ours_cpu_s']:.1f} / baseline {raw['base_cpu_s']:.1f}"
            f" (with its model load)",
            data=raw,
        )
    )

    rate = size / build["seconds"]
    _, whoosh_meta = whoosh_index(size)
    _, tantivy_meta = tantivy_index(size)
    rows.append(
        Row(
            "add",
            f"enriched add, {size:,} articles (docs/s)",
            "(figure)",
            f"{rate:.0f}/s",
            whoosh=f"{size / whoosh_meta['seconds']:.0f}/s",
            tantivy=f"{size / tantivy_meta['seconds']:.0f}/s",
            ratio=f"{whoosh_meta['seconds'] / build['seconds']:.2f} / "
            f"{tantivy_meta['seconds'] / build['seconds']:.3f}",
            note=f"build {build['seconds']:.0f} s, measured {build['measured']}; peers: plain"
            " index build, no SQLite store",
            data={"build": build, "whoosh": whoosh_meta, "tantivy": tantivy_meta},
        )
    )

    log(f"add: re-add of the unchanged {size:,} corpus x{repeats}")
    readd = []
    for _ in range(repeats):
        result = run_measured(
            [str(NEWSDESK), "add", str(corpus_dir(size) / "enriched"), "--library", str(lib), "-q"]
        )
        readd.append(result.seconds)
    rows.append(
        Row(
            "add",
            f"re-add unchanged {size:,} corpus, median / p95",
            "<= 10 s",
            f"{median(readd):.2f} / {p95(readd):.2f} s",
            verdict=verdict(p95(readd) <= 10),
            data={"seconds": readd},
        )
    )

    sizes = {size: build}
    if size != 10_000:
        sizes[10_000] = library_dir(10_000)[1]
    mem = " / ".join(
        f"{n:,}: {b['peak_main'] / 2**20:.0f} MB (tree {b['peak_tree'] / 2**20:.0f})"
        for n, b in sorted(sizes.items())
    )
    if len(sizes) > 1:
        small, large = sizes[min(sizes)], sizes[max(sizes)]
        grows = large["peak_main"] > 1.25 * small["peak_main"]
        ok, target = verdict(not grows), "flat (10k vs full within 25%)"
    else:
        ok, target = "", "flat (compared at the full run)"
    rows.append(
        Row(
            "add",
            "add peak RSS, main process (process tree)",
            target,
            mem,
            verdict=ok,
            data={str(k): v for k, v in sizes.items()},
        )
    )

    on_disk = dir_size(lib)
    rows.append(
        Row(
            "size",
            f"library on disk / body text ({body_bytes / 2**20:.0f} MB)",
            "<= 3x",
            f"{on_disk / body_bytes:.2f}x ({on_disk / 2**20:.0f} MB)",
            whoosh=f"{whoosh_meta['size_bytes'] / body_bytes:.2f}x",
            tantivy=f"{tantivy_meta['size_bytes'] / body_bytes:.2f}x",
            ratio=f"{on_disk / whoosh_meta['size_bytes']:.2f} / "
            f"{on_disk / tantivy_meta['size_bytes']:.1f}",
            verdict=verdict(on_disk <= 3 * body_bytes),
            note=_breakdown(lib),
            data={"library": on_disk, "body": body_bytes},
        )
    )
    return rows + correctness(lib, facts)


def correctness(lib: Path, facts: dict) -> list[Row]:
    """The library's mention counts against the generator's known counts (no target)."""
    from index.library.facade import Library

    rows = []
    with Library.open(lib) as library:
        stats = library.stats()
        expected = facts["totals"]["mentions"]
        rows.append(
            Row(
                "check",
                "entity mentions in the library / known",
                "equal",
                f"{stats.mentions:,} / {expected:,}",
                verdict=verdict(stats.mentions == expected),
            )
        )
        ranked = sorted(facts["entities"].items(), key=lambda kv: -kv[1][1])
        picks = [kv for kv in ranked if kv[0].startswith("PERSON:")][:2]
        picks += [kv for kv in ranked if kv[0] == "GPE:United States"]
        for key, (articles, mentions, forms) in picks:
            label, name = key.split(":", 1)
            found = [e for e in library.find_entities(name) if e.label == label]
            got = (
                f"{found[0].mentions:,} mentions, {found[0].articles:,} articles"
                if found
                else "not found"
            )
            rows.append(
                Row(
                    "check",
                    f"resolution: {name} (all forms)",
                    "(info)",
                    got,
                    note=f"known {mentions:,} mentions in {articles:,} articles, forms "
                    + ", ".join(f"{form} {n:,}" for form, n in forms.items()),
                )
            )
    return rows


def _breakdown(lib: Path) -> str:
    index = dir_size(lib / "index")
    store = sum(p.stat().st_size for p in lib.glob("store.sqlite3*"))
    return f"index {index / 2**20:.0f} MB, store {store / 2**20:.0f} MB"
