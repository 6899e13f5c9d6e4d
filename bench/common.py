"""Shared pieces of the benchmarks: the cache, timing statistics, process memory, rows."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("NEWSDESK_BENCH_CACHE", ROOT / "bench" / ".cache"))
NEWSDESK = Path(sys.executable).parent / "newsdesk"
CORES = os.cpu_count() or 1
REBUILD = False  # set by run.py --rebuild
KEEP_LIBRARY = False  # set by run.py --keep-library: reuse a library built by older index code
_rebuilt: set[str] = set()


def must_build(name: str, *exists: Path) -> bool:
    """Whether a cached artefact must be (re)built: missing, or --rebuild and not yet this run."""
    if REBUILD and name not in _rebuilt:
        _rebuilt.add(name)
        return True
    if not all(path.exists() for path in exists):
        _rebuilt.add(name)
        return True
    return False


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank: the ceil(0.95 n)-th smallest) of a sample.

    Up to 19 values that is the largest; of 20 to 39, the second largest.
    (Not ``round(0.95 n + 0.5)``: it rounds half to even, and for 20 values
    gives the largest.)
    """
    ordered = sorted(values)
    rank = -(-95 * len(ordered) // 100)  # ceil(0.95 n), in integers
    return ordered[max(0, min(len(ordered), rank) - 1)]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@dataclass
class Row:
    """One figure of the report."""

    section: str
    figure: str
    target: str = ""  # e.g. "p95 <= 50 ms"
    ours: str = ""
    whoosh: str = ""
    tantivy: str = ""
    ratio: str = ""  # ours / peer, from the same run
    verdict: str = ""  # PASS, MISS or "" (no target)
    note: str = ""
    data: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def files_under(path: Path) -> list[Path]:
    """Every regular file under ``path``."""
    return sorted(p for p in path.rglob("*") if p.is_file())


def page_in(path: Path) -> int:
    """Read every file under ``path`` once, so that the OS page cache holds it; bytes read.

    Some kernels (a DAMON reclaim scheme, for one) page out every unmapped
    file page left untouched for about a minute, whatever memory is free (see
    docs/benchmarks.md), so a cold search that assumes its files in the page
    cache must read them first.
    """
    total = 0
    for file in files_under(path):
        with open(file, "rb", buffering=0) as handle:
            while chunk := handle.read(1 << 20):
                total += len(chunk)
    return total


def page_out(path: Path) -> None:
    """Drop every file under ``path`` from the OS page cache (``posix_fadvise(DONTNEED)``)."""
    drop_files(files_under(path))


def drop_files(files: Iterable[Path]) -> None:
    """Drop these files from the OS page cache (pages a process maps are kept)."""
    for file in files:
        try:
            fd = os.open(file, os.O_RDONLY)
        except OSError:
            continue  # gone, or not ours to read
        try:
            os.fsync(fd)  # only clean pages are dropped
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def dir_size(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# ---------------------------------------------------------------- memory of a process tree


class RssPoller:
    """Poll a process (and its descendants) for peak resident memory, in a thread."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak_main = 0
        self.peak_tree = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssPoller:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        import psutil

        try:
            main = self.proc.memory_info().rss
            tree = main
            for child in self.proc.children(recursive=True):
                try:
                    tree += child.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            return
        self.peak_main = max(self.peak_main, main)
        self.peak_tree = max(self.peak_tree, tree)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


@dataclass
class RunResult:
    seconds: float
    returncode: int
    peak_main: int
    peak_tree: int
    stderr: str


def run_measured(cmd: Sequence[str], *, env: dict | None = None) -> RunResult:
    """Execute a command; return its wall time and peak RSS (main process, whole tree)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    with RssPoller(proc.pid) as poller:
        _, err = proc.communicate()
    seconds = time.perf_counter() - start
    return RunResult(seconds, proc.returncode, poller.peak_main, poller.peak_tree, err or "")


# ---------------------------------------------------------------- cached artefacts


def corpus_dir(size: int, seed: int = 0) -> Path:
    """The generated corpus of ``size`` articles (generated on first use)."""
    from bench.corpus import cache_key, generate

    folder = CACHE / f"corpus-{cache_key(size, seed)}"
    done = folder / "done"
    if must_build(folder.name, done):
        log(f"generating the {size:,}-article corpus in {folder}")
        start = time.perf_counter()
        fresh_dir(folder)
        generate(size, folder, seed=seed)
        done.write_text(f"{time.perf_counter() - start:.1f}\n")
    return folder


def known(size: int) -> dict:
    return json.loads((corpus_dir(size) / "known.json").read_text(encoding="utf-8"))


def code_digest() -> str:
    """A digest of the index package's source: a library built by other code is flagged."""
    import hashlib

    digest = hashlib.blake2b(digest_size=6)
    for path in sorted((ROOT / "index").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _usable(lib: Path, meta_path: Path) -> bool:
    """Whether a cached library was built by today's index code (or may be kept) and opens."""
    if not (lib / "manifest.json").exists():
        return False
    built_by = json.loads(meta_path.read_text()).get("code")
    if built_by != code_digest() and not KEEP_LIBRARY:
        log(
            f"cached library {lib.name} was built by other index code; rebuilding it"
            " (--keep-library reuses it)"
        )
        return False
    try:
        from index.errors import QueryError
        from index.library.facade import Library

        with Library.open(lib) as library:
            library.newest(limit=1)
            try:
                library.search("minister", limit=1)
            except QueryError:
                pass  # the query language changed, not the library
    except Exception as err:  # noqa: BLE001 - any failure means: build it again
        log(f"cached library {lib.name} is not usable by this code ({err}); rebuilding it")
        return False
    return True


def library_dir(size: int) -> tuple[Path, dict]:
    """Our library built from the corpus with ``newsdesk add`` (built, and timed, on first use)."""
    from index.search.schema import SCHEMA_VERSION

    corpus = corpus_dir(size)
    lib = CACHE / f"library-{corpus.name.removeprefix('corpus-')}-sv{SCHEMA_VERSION}"
    meta_path = CACHE / f"{lib.name}.build.json"
    checked = lib.name + ":ok"
    if must_build(lib.name, meta_path) or (checked not in _rebuilt and not _usable(lib, meta_path)):
        if lib.exists():
            shutil.rmtree(lib)
        log(f"building our library of {size:,} articles (newsdesk add) in {lib}")
        result = run_measured(
            [str(NEWSDESK), "add", str(corpus / "enriched"), "--library", str(lib), "-q"]
        )
        if result.returncode not in (0, 1):
            raise SystemExit(f"newsdesk add failed ({result.returncode}): {result.stderr[-2000:]}")
        meta = {
            "seconds": result.seconds,
            "peak_main": result.peak_main,
            "code": code_digest(),
            "peak_tree": result.peak_tree,
            "measured": time.strftime("%Y-%m-%d %H:%M"),
            "stderr_tail": result.stderr[-500:],
        }
        meta_path.write_text(json.dumps(meta, indent=1))
    _rebuilt.add(checked)
    return lib, json.loads(meta_path.read_text())


def records(size: int):
    """Iterate the corpus records (dicts) in order."""
    for part in sorted((corpus_dir(size) / "enriched").glob("part-*.jsonl")):
        with open(part, encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)
