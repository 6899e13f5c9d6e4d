"""Print the figures as a table and keep them (JSON and Markdown) under the cache."""

from __future__ import annotations

import json
import platform
import time
from importlib import metadata
from pathlib import Path

from bench.common import CACHE, CORES, Row

COLUMNS = ("figure", "target", "ours", "whoosh", "tantivy", "ratio", "verdict")
HEADERS = ("figure", "target", "ours", "raw Whoosh", "tantivy", "ratio", "PASS/MISS")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def machine() -> str:
    try:
        import psutil

        ram = f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM"
    except ImportError:  # pragma: no cover - psutil is a bench dependency
        ram = "RAM unknown"
    return (
        f"{CORES} cores, {ram}, {platform.machine()}, Python {platform.python_version()},"
        f" Whoosh-Reloaded {_version('Whoosh-Reloaded')}, tantivy {_version('tantivy')},"
        f" spaCy {_version('spacy')}, Textual {_version('textual')}"
    )


def markdown(rows: list[Row], size: int, mode: str) -> str:
    lines = [
        f"Size {size:,} articles ({mode}); {machine()}; {time.strftime('%Y-%m-%d %H:%M')}.",
        "Ratio: ours / raw Whoosh and ours / tantivy (p95 for searches; < 1 means we are"
        " faster), from the same run.",
        "",
        "| section | " + " | ".join(HEADERS) + " |",
        "| --- " * (len(HEADERS) + 1) + "|",
    ]
    for row in rows:
        cells = [row.section, *(str(getattr(row, c)) or "" for c in COLUMNS)]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    notes = [f"- {row.figure}: {row.note}" for row in rows if row.note]
    if notes:
        lines += ["", "Notes:", *notes]
    return "\n".join(lines) + "\n"


def text_table(rows: list[Row]) -> str:
    table = [HEADERS] + [tuple(str(getattr(r, c)) for c in COLUMNS) for r in rows]
    widths = [min(60, max(len(r[i]) for r in table)) for i in range(len(HEADERS))]
    out = []
    for number, line in enumerate(table):
        out.append("  ".join(cell[:60].ljust(widths[i]) for i, cell in enumerate(line)))
        if number == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def save(rows: list[Row], size: int, mode: str) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = CACHE / f"results-{size}-{stamp}"
    payload = {
        "size": size,
        "mode": mode,
        "machine": machine(),
        "cores": CORES,
        "rows": [r.to_json() for r in rows],
    }
    base.with_suffix(".json").write_text(json.dumps(payload, indent=1))
    base.with_suffix(".md").write_text(markdown(rows, size, mode))
    return base.with_suffix(".md")


def show(rows: list[Row], size: int, mode: str) -> None:
    print(f"\nnewsdesk benchmarks: {size:,} articles ({mode}); {machine()}\n")
    print(text_table(rows))
    misses = [r.figure for r in rows if r.verdict == "MISS"]
    print(f"\n{sum(r.verdict == 'PASS' for r in rows)} PASS, {len(misses)} MISS")
    path = save(rows, size, mode)
    print(f"table (Markdown) and raw samples (JSON): {path} and {path.with_suffix('.json')}")
