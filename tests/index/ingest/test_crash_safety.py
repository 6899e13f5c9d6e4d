"""A kill at every commit boundary of ``add``, then a rerun, converges to the uninterrupted result.

Also: two concurrent ``add``s and a reader during many commits, with no errors.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from index.library.facade import Library
from index.search.storage import open_index
from index.store.db import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
TEXTS = [
    "Talks in Oslo\n\nJonas Gahr Støre met Antony Blinken in Oslo on Monday.",
    "Trade row\n\nJanet Yellen warned Beijing about export controls.",
    "Summit plans\n\nThe G7 Summit in Hiroshima drew Joe Biden and Fumio Kishida.",
    "Climate envoy\n\nJohn Kerry flew to Paris to meet Emmanuel Macron.",
    "Ministry note\n\nThe Chinese Foreign Ministry summoned Nicholas Burns.",
]

#: The commit boundaries of an add of :data:`TEXTS` two at a time: three batches
#: (2 + 2 + 1 articles), three boundaries each.
BOUNDARIES = 3 * 3
#: The boundaries killed while a changed file replaces its articles.
REPLACING_KILLS = (1, 2, 3)


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, text in enumerate(TEXTS):
        (corpus / f"{i}.txt").write_text(text + "\n")
    return corpus


def _jsonl(tmp_path: Path, texts: list[str] = TEXTS, name: str = "corpus.jsonl") -> Path:
    """The texts as one JSONL file (raw articles: the writer cuts it into parts)."""
    path = tmp_path / name
    lines = []
    for text in texts:
        title, body = text.split("\n\n", 1)
        lines.append(json.dumps({"title": title, "body": body, "date": "2024-05-01"}))
    path.write_text("\n".join(lines) + "\n")
    return path


def _add(lib: Path, corpus: Path, kill_at: int = 0, prune: bool = False) -> int:
    code = (
        "import sys; from index.ingest.writer import add_paths;"
        f"add_paths(sys.argv[1], [sys.argv[2]], batch_articles=2, prune={prune})"
    )
    env = {"NEWSDESK_KILL_AT": str(kill_at), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-c", code, str(lib), str(corpus)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return proc.returncode


def fingerprint(lib: Path) -> dict:
    store = Store(lib / "store.sqlite3", readonly=True)
    try:
        assert store.quick_check() == "ok"
        c = store.conn
        rows = {
            "articles": sorted(c.execute("SELECT id, title, date FROM articles").fetchall()),
            "entities": sorted(
                c.execute("SELECT label, norm, name, articles, mentions, hidden FROM entities")
            ),
            "mentions": sorted(
                c.execute(
                    "SELECT a.id, e.norm, m.start, m.end FROM mentions m"
                    " JOIN entities e ON e.id = m.entity JOIN articles a ON a.num = m.article"
                )
            ),
            "files": sorted(c.execute("SELECT path, hash, state FROM files").fetchall()),
            "links": sorted(c.execute("SELECT path, article_id FROM file_articles").fetchall()),
        }
    finally:
        store.close()
    ix = open_index(lib / "index")
    with ix.searcher() as searcher:
        rows["whoosh"] = sorted(doc["id"] for doc in searcher.all_stored_fields())
    return rows


def _converges_after_kills(tmp_path: Path, corpus: Path, expected: dict, kills) -> None:
    """For each boundary: an add killed there, then a rerun, gives the ``expected`` library."""
    for kill_at in kills:
        lib = tmp_path / f"killed-{kill_at}"
        assert _add(lib, corpus, kill_at) == -signal.SIGKILL, f"boundary {kill_at} not reached"
        assert _add(lib, corpus) == 0
        assert fingerprint(lib) == expected, f"diverged after a kill at boundary {kill_at}"


def test_kill_at_every_commit_boundary_converges(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    reference = tmp_path / "reference"
    assert _add(reference, corpus) == 0
    expected = fingerprint(reference)
    assert len(expected["articles"]) == len(TEXTS) == len(expected["whoosh"])
    _converges_after_kills(tmp_path, corpus, expected, range(1, BOUNDARIES + 1))


def test_kill_between_the_parts_of_one_large_file_converges(tmp_path: Path) -> None:
    """A JSONL file of 5 raw articles is written in 3 parts (2 + 2 + 1), one commit each."""
    corpus = _jsonl(tmp_path)
    reference = tmp_path / "reference"
    assert _add(reference, corpus) == 0
    expected = fingerprint(reference)
    assert len(expected["articles"]) == len(TEXTS) == len(expected["links"])
    assert [state for _path, _hash, state in expected["files"]] == ["done"]
    _converges_after_kills(tmp_path, corpus, expected, range(1, BOUNDARIES + 1))


def test_a_file_killed_between_its_parts_and_then_deleted_is_pruned_whole(tmp_path: Path) -> None:
    corpus = _jsonl(tmp_path)
    lib = tmp_path / "lib"
    assert _add(lib, corpus, kill_at=6) == -signal.SIGKILL  # after two of its three parts
    with Library.open(lib) as library:
        assert library.stats().articles == 4
    corpus.unlink()
    assert _add(lib, tmp_path / "nothing-here", prune=True) != -signal.SIGKILL
    with Library.open(lib) as library:
        assert library.stats().articles == 0
        assert library.search("blinken").total == 0


def test_a_changed_large_file_is_replaced_across_its_parts(tmp_path: Path) -> None:
    corpus = _jsonl(tmp_path)
    lib, reference = tmp_path / "lib", tmp_path / "reference"
    assert _add(lib, corpus) == 0
    changed = [
        *TEXTS[1:4],
        "New story\n\nOlaf Scholz visited Warsaw.",
        "Later story\n\nGina Raimondo warned Beijing about chips.",
    ]
    _jsonl(tmp_path, changed)
    assert _add(lib, corpus) == 0
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert _add(reference, _jsonl(fresh, changed)) == 0
    got, want = fingerprint(lib), fingerprint(reference)
    for table in ("articles", "entities", "mentions", "whoosh"):
        assert got[table] == want[table], table
    assert sorted(a for _p, a in got["links"]) == sorted(a for _p, a in want["links"])


@pytest.mark.parametrize("kept", [TEXTS[0:1], TEXTS[0:3:2]], ids=["same-batch", "batch-before"])
def test_an_article_moving_into_a_large_file_is_kept(tmp_path: Path, kept: list[str]) -> None:
    """G drops Y while the large file F (written in parts) takes it: Y stays in the library.

    With one article left in G, G's last part and F's first part share a
    batch; with two, G is the batch before F's, queued while Y was held.
    """
    moving = TEXTS[1]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _jsonl(corpus, [*kept, moving], name="a.jsonl")
    lib = tmp_path / "lib"
    assert _add(lib, corpus) == 0
    _jsonl(corpus, kept, name="a.jsonl")
    _jsonl(corpus, [TEXTS[3], moving, TEXTS[4]], name="b.jsonl")
    assert _add(lib, corpus) == 0
    reference = tmp_path / "reference"
    assert _add(reference, corpus) == 0
    assert fingerprint(lib) == fingerprint(reference)
    with Library.open(lib) as library:
        assert library.search("yellen").total == 1


def test_the_same_article_twice_in_a_large_file_converges(tmp_path: Path) -> None:
    """The first copy wins, with or without a kill between the parts; counted once."""
    copy = "Another title\n\n" + TEXTS[1].split("\n\n")[1]
    twice = [TEXTS[1], TEXTS[0], TEXTS[2], copy, TEXTS[3]]  # in parts 1 and 2, queued together
    corpus = _jsonl(tmp_path, twice)
    reference = tmp_path / "reference"
    code = (
        "import sys; from index.ingest.writer import add_paths;"
        "r = add_paths(sys.argv[1], [sys.argv[2]], batch_articles=2);"
        "print(r.articles_added, r.mentions_added)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(reference), str(corpus)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    expected = fingerprint(reference)
    assert len(expected["articles"]) == 4
    assert ("Trade row",) == tuple(t for _id, t, _d in expected["articles"] if "row" in t)
    added, mentions = map(int, done.stdout.split())
    assert added == 4 and mentions == len(expected["mentions"])
    _converges_after_kills(tmp_path, corpus, expected, (3, 4))


def test_kill_while_replacing_a_changed_file_converges(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    for lib in (reference, killed):
        assert _add(lib, corpus) == 0
    (corpus / "1.txt").write_text("Trade row\n\nGina Raimondo warned Beijing about chips.\n")
    (corpus / "3.txt").unlink()
    (corpus / "5.txt").write_text("New story\n\nOlaf Scholz visited Warsaw.\n")
    assert _add(reference, corpus) == 0
    for kill_at in REPLACING_KILLS:
        assert _add(killed, corpus, kill_at) == -signal.SIGKILL
    assert _add(killed, corpus) == 0
    assert fingerprint(killed) == fingerprint(reference)


def test_concurrent_adds_and_a_reader_see_no_errors(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    corpus_a, corpus_b = tmp_path / "a", tmp_path / "b"
    for folder, tag in ((corpus_a, "alpha"), (corpus_b, "beta")):
        folder.mkdir()
        for i in range(60):
            (folder / f"{i}.txt").write_text(
                f"Report {tag} {i}\n\nOfficials in Geneva discussed item {tag}{i} with Angela"
                f" Merkel and Emmanuel Macron on day {i}.\n"
            )
    assert _add(lib, corpus_a.parent / "a" / "0.txt") == 0
    code = (
        "import sys; from index.ingest.writer import add_paths;"
        " add_paths(sys.argv[1], [sys.argv[2]], batch_articles=1)"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(lib), str(folder)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in (corpus_a, corpus_b)
    ]
    errors: list[BaseException] = []
    seen: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        with Library.open(lib) as library:
            while not stop.is_set():
                try:
                    seen.append(library.search("geneva").total)
                    library.newest(limit=5)
                except BaseException as err:  # noqa: BLE001 - the test counts every error
                    errors.append(err)

    thread = threading.Thread(target=reader)
    thread.start()
    outputs = [p.communicate(timeout=600)[1] for p in procs]
    stop.set()
    thread.join()
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert not errors, errors[:3]
    assert seen == sorted(seen), "readers never see articles disappear"
    assert len(set(seen)) > 3, "the reader saw commits land while it searched"
    with Library.open(lib) as library:
        assert library.stats().articles == 120
        assert library.search("geneva").total == 120


@pytest.mark.parametrize(
    ("sig", "boundary"),
    [
        (signal.SIGHUP, 4),  # the second batch marked pending, nothing of it written
        (signal.SIGINT, 5),  # between the second batch's Whoosh commit and its SQLite one
        (signal.SIGTERM, 6),  # the second batch committed, the third to come
    ],
    ids=["hup-before-writing", "int-between-commits", "term-after-commit"],
)
def test_hangup_or_ctrl_c_during_add_leaves_a_consistent_library(
    tmp_path: Path, sig, boundary: int
) -> None:
    import os

    from index.ingest.writer import BATCH_ARTICLES

    count = 2 * BATCH_ARTICLES + 50  # three batches: the signal lands in the second
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(count):
        (corpus / f"{i}.txt").write_text(f"Item {i}\n\nAngela Merkel spoke in Berlin about {i}.\n")
    lib = tmp_path / "lib"
    paused = tmp_path / "paused"
    newsdesk = Path(sys.executable).with_name("newsdesk")
    env = {**os.environ, "NEWSDESK_PAUSE_AT": f"{boundary}:{paused}"}
    proc = subprocess.Popen(
        [str(newsdesk), "add", str(corpus), "--library", str(lib), "-q"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 120
    while not paused.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # the add tells where it is: it made the file and waits on it
    assert paused.exists(), "the add never reached the commit boundary"
    proc.send_signal(sig)
    paused.unlink()
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    assert proc.returncode == 130, err
    assert "library is consistent" in err and len(err.strip().splitlines()) == 1
    partial = fingerprint(lib)
    assert 0 < len(partial["articles"]) < count
    assert len(partial["articles"]) == len(partial["whoosh"])
    assert _add(lib, corpus) == 0
    final = fingerprint(lib)
    assert len(final["articles"]) == count == len(final["whoosh"])


def test_an_interrupt_while_opening_a_file_is_never_turned_into_a_file_error(
    tmp_path: Path, monkeypatch
) -> None:
    import os

    from index.ingest.sources import base, read_file

    doc = tmp_path / "a.txt"
    doc.write_text("Title\n\nAngela Merkel visited Paris.\n")

    def interrupted_open(fd, *args, **kwargs):
        os.close(fd)  # the file object took the descriptor, then the signal landed
        raise KeyboardInterrupt("SIGTERM")

    monkeypatch.setattr(base, "open", interrupted_open, raising=False)
    with pytest.raises(KeyboardInterrupt):
        list(read_file(doc))


#: What each signal-hold test runs first, in a fresh interpreter: a thread
#: started before the hold, so it does not block the held signals (as the NER
#: pool's threads do not) and may take one.
_OTHER_THREAD = """
import signal, threading, time
from index.ingest.commit import signals_deferred

other = threading.Thread(target=threading.Event().wait, daemon=True)
other.start()
"""


def _with_other_thread(code: str) -> str:
    """Run ``code`` after :data:`_OTHER_THREAD` in a fresh interpreter; its stdout."""
    import textwrap

    from tests.helpers.process import fresh

    return fresh(_OTHER_THREAD + textwrap.dedent(code))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_taken_by_another_thread_still_waits_for_the_commit_pair(sig) -> None:
    """The NER pool's threads do not block the held signals: one of them may take it.

    Python then runs the handler in the main thread at once, which must not
    interrupt the Whoosh commit before its SQLite twin.
    """
    out = _with_other_thread(f"""
        def interrupt(signum, frame):
            raise KeyboardInterrupt
        signal.signal(signal.SIGTERM, interrupt)
        events = []
        try:
            with signals_deferred():
                signal.pthread_kill(other.ident, {int(sig)})
                time.sleep(0.2)  # the handler would run here, in the main thread
                events.append("both commits done")
        except KeyboardInterrupt:
            events.append("interrupted")
        print(events)
    """)
    assert out.strip() == "['both commits done', 'interrupted']"


def test_every_signal_held_is_delivered_even_when_the_first_handler_raises() -> None:
    out = _with_other_thread("""
        events = []
        signal.signal(signal.SIGTERM, lambda signum, frame: events.append("term"))
        try:
            with signals_deferred():
                signal.pthread_kill(other.ident, signal.SIGINT)
                time.sleep(0.1)
                signal.pthread_kill(other.ident, signal.SIGTERM)
                time.sleep(0.1)
                events.append("both commits done")
        except KeyboardInterrupt:
            events.append("interrupted")
        print(events)
    """)
    assert out.strip() == "['both commits done', 'term', 'interrupted']"


def test_a_signal_landing_while_the_handlers_are_restored_leaves_none_swapped() -> None:
    """Restoring SIGINT's handler may run it at once (Ctrl-C again): the rest are restored too."""
    out = _with_other_thread("""
        before = {s: signal.getsignal(s) for s in (signal.SIGHUP, signal.SIGTERM)}
        real = signal.signal
        sent = []

        def signal_then_ctrl_c(sig, handler):
            old = real(sig, handler)
            if sig == signal.SIGINT and handler is signal.default_int_handler and not sent:
                sent.append(sig)  # one Ctrl-C, taken by the other thread
                signal.pthread_kill(other.ident, signal.SIGINT)
                time.sleep(0.05)
            return old

        signal.signal = signal_then_ctrl_c
        try:
            with signals_deferred():
                pass
        except KeyboardInterrupt:
            print("interrupted")
        signal.signal = real
        after = {s: signal.getsignal(s) for s in before}
        held = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        print(after == before, sorted(int(s) for s in held))
    """)
    assert out.strip().splitlines() == ["interrupted", "True []"]


def test_an_error_of_the_commit_itself_is_not_hidden_by_a_held_signal() -> None:
    out = _with_other_thread("""
        try:
            with signals_deferred():
                signal.pthread_kill(other.ident, signal.SIGINT)
                time.sleep(0.1)
                raise OSError("No space left on device")
        except BaseException as err:
            print(type(err).__name__, err)
    """)
    assert out.strip() == "OSError No space left on device"
