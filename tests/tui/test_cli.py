"""The CLI contract: JSON shapes, exit codes, one-line errors, safe output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("newsdesk")


def run(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(BIN), *args],
        capture_output=True,
        text=True,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=300,
        **kwargs,
    )


def run_json(*args: str):
    proc = run(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_search_json_returns_both_seeds_with_highlights(seed_library: Path) -> None:
    data = run_json("search", "Blinken", "--library", str(seed_library))
    assert data["query"] == "Blinken" and data["total"] == 2
    assert len(data["hits"]) == 2
    for hit in data["hits"]:
        assert set(hit) == {"id", "title", "date", "source", "score", "snippet", "highlights"}
        assert hit["highlights"]
        for start, end in hit["highlights"]:
            assert hit["snippet"][start:end].lower() == "blinken"
    assert {h["date"] for h in data["hits"]} == {"2023-05-18", None}


def test_show_json(seed_library: Path) -> None:
    hits = run_json("search", "Hiroshima", "--library", str(seed_library))["hits"]
    art = run_json("show", hits[0]["id"], "--library", str(seed_library))
    assert {"id", "title", "date", "source", "url", "body", "entities"} <= set(art)
    assert art["date"] == "2023-05-18"
    for ent in art["entities"]:
        assert art["body"][ent["start"] : ent["end"]] == ent["text"]
        assert ent["key"].startswith(ent["label"] + ":")
    assert any(e["key"] == "PERSON:antony blinken" for e in art["entities"])


def test_entities_json(seed_library: Path) -> None:
    ents = run_json("entities", "--library", str(seed_library), "--limit", "200")
    assert all(set(e) == {"key", "name", "label", "articles", "mentions", "aliases"} for e in ents)
    articles = [e["articles"] for e in ents]
    assert articles == sorted(articles, reverse=True)
    people = run_json("entities", "--label", "person", "--library", str(seed_library))
    assert people and all(e["label"] == "PERSON" for e in people)
    assert "PERSON:antony blinken" in {e["key"] for e in people}


def test_mentions_json_lists_both_seeds_with_sentences(seed_library: Path) -> None:
    data = run_json("mentions", "Antony Blinken", "--library", str(seed_library))
    assert data["entity"] == {
        "key": "PERSON:antony blinken",
        "name": "Antony Blinken",
        "label": "PERSON",
    }
    assert data["total"] == 7
    assert len({m["article_id"] for m in data["mentions"]}) == 2
    for m in data["mentions"]:
        assert m["text"] in ("Antony Blinken", "Blinken") and m["text"] in m["context"]
    by_key = run_json("mentions", "PERSON:antony blinken", "--library", str(seed_library))
    assert by_key["total"] == 7


def test_stats_json(seed_library: Path) -> None:
    stats = run_json("stats", "--library", str(seed_library))
    assert stats["articles"] == 2 and stats["entities"] > 20 and stats["mentions"] > 100
    assert stats["size_bytes"] > 0 and stats["model"]


def test_library_before_the_subcommand_is_used(seed_library: Path, tmp_path: Path) -> None:
    """'newsdesk --library DIR stats' reads DIR, not the default library.

    A subcommand's own --library once reset it to the default, so an add
    written this way went into the user's default library.
    """
    env = {"NEWSDESK_LIBRARY": str(tmp_path / "not-this-one")}
    proc = run("--library", str(seed_library), "stats", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["articles"] == 2
    assert not (tmp_path / "not-this-one").exists()


def test_text_search_output(seed_library: Path) -> None:
    proc = run("search", "Blinken", "--library", str(seed_library))
    assert proc.returncode == 0
    assert "of 2 articles" in proc.stdout and "Blinken" in proc.stdout
    assert "\x1b" not in proc.stdout  # not a terminal: no styling


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["search", "foo:bar"], 2, "unknown field"),
        (["search", "(a"], 2, "never closed"),
        (["search", "x", "--limit", "0"], 2, "at least 1"),
        (["mentions", "Nobody Here"], 1, "no entity is named"),
        (["show", "0000"], 1, "no article"),
        (["frobnicate"], 2, "invalid choice"),
        (["entities", "--label", "NOPE"], 2, "its labels: CARDINAL, DATE, EVENT"),
        (["entities", "--explain", "nobody"], 1, "newsdesk: no entity is named 'nobody'"),
        (["search", "date:notadate"], 2, "date:notadate is not a date: write a year"),
        (["search", 'place:"antony blinken"'], 2, "no place is named 'antony blinken', but"),
    ],
)
def test_errors_are_one_line_with_exit_codes(seed_library: Path, args, code, message) -> None:
    proc = run(*args, "--library", str(seed_library))
    assert proc.returncode == code
    assert not proc.stdout
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_missing_library_is_one_line_saying_how_to_create_it(tmp_path: Path) -> None:
    nope = tmp_path / "nope"
    for args in (["search", "x"], ["stats"], ["entities"]):
        proc = run(*args, "--library", str(nope))
        assert proc.returncode == 1 and "no library" in proc.stderr
        assert f"create it with 'newsdesk add PATH --library {nope}'" in proc.stderr
        assert len(proc.stderr.splitlines()) == 1


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("newsdesk ")


def test_a_model_that_is_not_installed_is_one_line_and_creates_nothing(
    tmp_path: Path, seeds_dir: Path
) -> None:
    library = tmp_path / "library"
    proc = run("add", str(seeds_dir), "--library", str(library), "--model", "en_not_installed")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "'en_not_installed' is not installed" in proc.stderr
    assert not library.exists()
    assert run("add", str(seeds_dir), "--library", str(library), "-q").returncode == 0


def test_enrich_of_a_missing_input_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    proc = run("enrich", str(tmp_path / "missing.jsonl"), "-o", str(out), "--workers", "0")
    assert proc.returncode == 1
    assert "1 error -> nothing written" in proc.stderr
    assert out.read_text() == "kept\n"


def test_reader_refuses_dumb_or_piped_terminals(seed_library: Path) -> None:
    proc = run("--library", str(seed_library), env={"TERM": "dumb"})
    assert proc.returncode == 2 and "needs a terminal" in proc.stderr
    proc = run("--library", str(seed_library))
    assert proc.returncode == 2 and "not a terminal" in proc.stderr


def test_output_to_dev_full_is_one_line(seed_library: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [str(BIN), "search", "Blinken", "--json", "--library", str(seed_library)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 1
    assert "No space left" in proc.stderr and "Traceback" not in proc.stderr


def test_closed_pipe_is_quiet(seed_library: Path) -> None:
    proc = subprocess.Popen(
        [str(BIN), "entities", "--limit", "500", "--all-labels", "--library", str(seed_library)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.read(10)
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err


def test_add_reports_bad_files_and_exit_1(tmp_path: Path, seeds_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Good news\n\nAngela Merkel visited Paris on Monday.\n")
    (corpus / "empty.txt").write_text("")
    (corpus / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    lib = tmp_path / "lib"
    proc = run("add", str(corpus), "--library", str(lib))
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if "empty.txt" in line or "bin.txt" in line]
    assert len(errors) == 2
    assert "Traceback" not in proc.stderr
    assert run_json("stats", "--library", str(lib))["articles"] == 1
    again = run("add", str(seeds_dir), "--library", str(lib))
    assert again.returncode == 0
    assert run_json("stats", "--library", str(lib))["articles"] == 3


def test_add_passes_workers_to_the_writer(tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    """``--workers N`` reaches add_paths; without it the writer chooses (None)."""
    import index.ingest.writer
    from tui.cli.main import main

    seen: list[object] = []
    real = index.ingest.writer.add_paths

    def spy(*args, **kwargs):
        seen.append(kwargs.get("workers", "missing"))
        return real(*args, **kwargs)

    monkeypatch.setattr(index.ingest.writer, "add_paths", spy)
    lib = tmp_path / "lib"
    assert main(["add", "-q", "--workers", "0", str(seeds_dir), "--library", str(lib)]) == 0
    assert main(["add", "-q", str(seeds_dir), "--library", str(lib)]) == 0
    assert seen == [0, None]


def test_every_command_that_reads_the_library_says_when_aliases_toml_is_broken(
    library_copy: Path,
) -> None:
    (library_copy / "aliases.toml").write_text('hide = ["telephonic"\n', encoding="utf-8")
    for args in (["search", "blinken"], ["entities"], ["stats"], ["entity", "Blinken"]):
        proc = run(*args, "--library", str(library_copy))
        assert proc.returncode == 0, proc.stderr
        notes = [line for line in proc.stderr.splitlines() if "aliases.toml" in line]
        assert len(notes) == 1 and notes[0].startswith("newsdesk: note: "), (args, proc.stderr)


def test_counts_are_said_in_the_singular_for_one(seed_library: Path, tmp_path: Path) -> None:
    doc = tmp_path / "one.txt"
    doc.write_text("Oslo talks\n\nJonas Gahr Støre spoke in Oslo on Monday.\n")
    proc = run("add", str(doc), "--library", str(tmp_path / "library"), "-q")
    assert "added 1 article (" in proc.stderr and "from 1 file;" in proc.stderr
    assert "; 0 errors" in proc.stderr
    shown = run("entity", "Wang Yi", "--library", str(seed_library)).stdout
    assert "[PERSON:wang yi]  1 article, 2 mentions" in shown
