"""Enrichment as its own stage: ``newsdesk enrich`` writes records that ``add`` takes without NER.

Real model, real libraries. No timing assertions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.ingest.clean import clean_text
from index.ingest.sources import make_article, read_file
from index.ingest.sources.enriched import ENRICHED_FORMAT, EnrichedRecord
from index.ingest.stage import EnrichReport, enrich_paths
from index.library.facade import Library
from index.models import Article, EnrichedArticle, IngestError
from tests.helpers.library import build_library

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).with_name("newsdesk")
RECORD_KEYS = {
    "newsdesk",
    "id",
    "title",
    "body",
    "date",
    "source",
    "url",
    "author",
    "model",
    "entities",
    "sentences",
}
QUERIES = ["Blinken", "china OR beijing", '"White House"', "date:2023-05"]


def enrich_to_text(*inputs: Path | str, **kwargs) -> tuple[str, EnrichReport]:
    report = EnrichReport()
    text = "".join(enrich_paths([str(p) for p in inputs], report=report, **kwargs))
    return text, report


@pytest.fixture(scope="module")
def enriched_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, enriched in this process, as a JSONL file (treat as read-only)."""
    from index.layout import bundled_seeds

    text, report = enrich_to_text(bundled_seeds(), workers=0)
    assert not report.errors and report.articles == 2 and report.files == 2
    out = tmp_path_factory.mktemp("enriched") / "seeds.jsonl"
    out.write_text(text, encoding="utf-8")
    return out


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def library_summary(root: Path) -> dict:
    """Everything two libraries must agree on: ids, titles, mentions, search results."""
    with Library.open(root) as lib:
        ids = sorted(hit.id for hit in lib.newest(limit=100).hits)
        articles = {}
        for aid in ids:
            view = lib.article(aid, labels=None)
            articles[aid] = (
                view.article.title,
                view.article.body,
                view.article.date,
                view.article.source,
                [(e.start, e.end, e.label) for e in view.entities],
            )
        searches = {
            query: [(hit.id, hit.title) for hit in lib.search(query, limit=20).hits]
            for query in QUERIES
        }
        stats = lib.stats()
    return {
        "ids": ids,
        "articles": articles,
        "searches": searches,
        "counts": (stats.articles, stats.entities, stats.mentions),
    }


# -- (a) the record format, deterministic ----------------------------------------------


def test_enrich_writes_the_record_format(enriched_seeds: Path, seeds_dir: Path) -> None:
    raw = enriched_seeds.read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 2
    plain = [item for path in sorted(seeds_dir.iterdir()) for item in read_file(path)]
    assert all(isinstance(item, Article) for item in plain)
    for line, art in zip(raw.decode("utf-8").splitlines(), plain, strict=True):
        record = json.loads(line)
        assert set(record) == RECORD_KEYS
        assert record["newsdesk"] == ENRICHED_FORMAT
        # Sorted keys, no spaces between tokens, UTF-8 rather than escapes.
        assert line == json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        # Input order, and the fields of the article as add reads it.
        assert record["id"] == art.id and record["title"] == art.title
        assert record["body"] == art.body == clean_text(art.body)
        assert record["date"] == art.date and record["source"] == art.source
        name, version = record["model"].rsplit(" ", 1)
        assert name and version
        body = record["body"]
        starts = [start for start, _, _ in record["entities"]]
        assert starts == sorted(starts) and record["entities"]
        for start, end, label in record["entities"]:
            assert 0 <= start < end <= len(body)
            assert label.isupper() and any(ch.isalnum() for ch in body[start:end])
            assert body[start:end] == body[start:end].strip()
        assert record["sentences"]
        for start, end in record["sentences"]:
            assert 0 <= start < end <= len(body)
    assert any(
        body[s:e] == "Antony Blinken" and label == "PERSON"
        for rec in records(enriched_seeds)
        for body in [rec["body"]]
        for s, e, label in rec["entities"]
    )


def test_enrich_is_deterministic(enriched_seeds: Path, seeds_dir: Path) -> None:
    again, _ = enrich_to_text(seeds_dir, workers=0)
    assert again.encode("utf-8") == enriched_seeds.read_bytes()
    # Other batch sizes give the same bytes too.
    small, _ = enrich_to_text(seeds_dir, workers=0, batch_articles=1)
    assert small.encode("utf-8") == enriched_seeds.read_bytes()


def test_enrich_in_worker_processes_gives_the_same_bytes(
    enriched_seeds: Path, seeds_dir: Path
) -> None:
    text, report = enrich_to_text(seeds_dir, workers=2, batch_articles=1)
    assert not report.errors
    assert text.encode("utf-8") == enriched_seeds.read_bytes()


# -- (b) add of the records == add of the seeds ----------------------------------------


def test_adding_enriched_records_builds_the_same_library(
    enriched_seeds: Path, seed_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.enrich.pool

    def no_ner(model: str):
        raise AssertionError("NER ran for an enriched record")

    monkeypatch.setattr(index.enrich.pool, "get_enricher", no_ner)
    root = tmp_path / "from-jsonl"
    report = build_library(root, enriched_seeds)
    assert not report.errors and not report.notes
    assert report.articles_added == 2
    assert library_summary(root) == library_summary(seed_library)


def test_enriched_json_array_is_read_too(enriched_seeds: Path, tmp_path: Path) -> None:
    doc = tmp_path / "seeds.json"
    doc.write_text(json.dumps(records(enriched_seeds)), encoding="utf-8")
    items = list(read_file(doc))
    assert len(items) == 2 and all(isinstance(item, EnrichedArticle) for item in items)
    assert [item.line for item in (i.article for i in items)] == [1, 2]


def test_mixed_plain_and_enriched_batch_in_worker_processes(
    enriched_seeds: Path, seed_library: Path, seeds_dir: Path, tmp_path: Path
) -> None:
    # One seed as an enriched record, the other as its plain text file, in one batch that
    # overlaps NER (a worker process) with the writer; the same library comes out.
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    first, second = records(enriched_seeds)
    (mixed / "one.jsonl").write_text(json.dumps(first, ensure_ascii=False) + "\n", encoding="utf-8")
    plain_files = sorted(seeds_dir.iterdir())
    plain = next(p for p in plain_files if next(iter(read_file(p))).id == second["id"])
    (mixed / plain.name).write_bytes(plain.read_bytes())
    root = tmp_path / "mixed-lib"
    report = build_library(root, mixed, workers=1)
    assert not report.errors
    assert report.articles_added == 2
    assert library_summary(root) == library_summary(seed_library)


def test_enriched_article_already_held_is_not_written_again(
    enriched_seeds: Path, library_copy: Path
) -> None:
    report = build_library(library_copy, enriched_seeds)
    assert not report.errors
    assert report.articles_added == 0 and report.files_written == 1


# -- (c) bad records ---------------------------------------------------------------


def _good_small_record(**changes) -> dict:
    body = "Antony Blinken flew to Beijing on Sunday. He met Wang Yi."
    record = {
        "newsdesk": ENRICHED_FORMAT,
        "id": "not-the-real-id",
        "title": "Blinken in Beijing",
        "body": body,
        "date": "2023-06-18",
        "source": "Test Wire",
        "url": "",
        "author": "",
        "model": "some_other_model 1.0",
        "entities": [[0, 14, "PERSON"], [23, 30, "GPE"], [49, 56, "PERSON"]],
        "sentences": [[0, 41], [42, 57]],
    }
    record.update(changes)
    return record


def test_bad_enriched_records_are_one_line_errors_and_the_rest_goes_in(
    enriched_seeds: Path, tmp_path: Path
) -> None:
    seed = records(enriched_seeds)[0]
    length = len(seed["body"])
    lines = [
        seed,  # 1: good
        {**seed, "entities": [*seed["entities"], [10, 5, "PERSON"]]},  # 2
        {**seed, "entities": [[length - 2, length + 3, "ORG"]]},  # 3
        {**seed, "body": seed["body"] + "  \r\n"},  # 4: cleaning would change it
        {**seed, "entities": [[0, 5, "person"]]},  # 5: bad label
        {**seed, "entities": [[0, 5, ""]]},  # 6: empty label
        {**seed, "entities": [[0.0, 5, "ORG"]]},  # 7: not an int
        {**seed, "sentences": [[3, 3]]},  # 8: empty sentence
        _good_small_record(),  # 9: good, another model
        {**seed, "newsdesk": "enriched/9"},  # 10: unknown version
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8"
    )
    results = list(read_file(path))
    errors = [r for r in results if isinstance(r, IngestError)]
    assert [e.line for e in errors] == [2, 3, 4, 5, 6, 7, 8, 10]
    for err in errors:
        text = str(err)
        assert "\n" not in text and text.startswith(f"{path}:{err.line}: ")
    reasons = [e.reason for e in errors]
    assert reasons[0] == "enriched record has an entity span 10-5 outside the body"
    assert (
        reasons[1]
        == f"enriched record has an entity span {length - 2}-{length + 3} outside the body"
    )
    assert "not clean" in reasons[2]
    assert "bad label 'person'" in reasons[3] and "bad label ''" in reasons[4]
    assert "malformed entity span" in reasons[5]
    assert reasons[6] == "enriched record has a sentence span 3-3 outside the body"
    assert "enriched/9" in reasons[7]

    root = tmp_path / "lib"
    report = build_library(root, path)
    assert [e.line for e in report.errors] == [2, 3, 4, 5, 6, 7, 8, 10]
    assert report.articles_added == 2
    # One note for the file about the other model; the records still went in.
    assert len(report.notes) == 1 and "some_other_model 1.0" in report.notes[0]
    small = _good_small_record()
    expected = make_article(
        path=path, body=small["body"], title=small["title"], source=small["source"]
    )
    assert isinstance(expected, Article) and expected.id != small["id"]
    with Library.open(root) as lib:
        view = lib.article(expected.id, labels=None)
        assert [(e.start, e.end, e.label) for e in view.entities] == [
            (0, 14, "PERSON"),
            (23, 30, "GPE"),
            (49, 56, "PERSON"),
        ]
        assert [e.text for e in view.entities] == ["Antony Blinken", "Beijing", "Wang Yi"]
        assert lib.article(seed["id"]).article.title == seed["title"]


def test_enriched_record_id_is_recomputed_like_a_plain_record(tmp_path: Path) -> None:
    small = _good_small_record()
    plain = {k: small[k] for k in ("title", "body", "date", "source", "url", "author")}
    path = tmp_path / "two.jsonl"
    path.write_text(json.dumps(small) + "\n" + json.dumps(plain) + "\n", encoding="utf-8")
    enriched, article = list(read_file(path))
    assert isinstance(enriched, EnrichedRecord) and isinstance(article, Article)
    assert enriched.article.id == article.id != small["id"]
    assert enriched.model == "some_other_model 1.0"
    assert enriched.article.title == article.title and enriched.article.date == article.date


def test_punctuation_only_spans_are_dropped_on_read(tmp_path: Path) -> None:
    record = _good_small_record(entities=[[0, 14, "PERSON"], [40, 42, "ORG"]])
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (item,) = list(read_file(path))
    assert isinstance(item, EnrichedArticle)
    assert [(e.start, e.end, e.label, e.text) for e in item.entities] == [
        (0, 14, "PERSON", "Antony Blinken")
    ]


# -- (d) Dask ----------------------------------------------------------------------


def test_dask_cluster_gives_the_local_bytes(enriched_seeds: Path, seeds_dir: Path) -> None:
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster

    # processes=True: the workers are real processes, so the task function and the
    # articles really travel pickled and each worker loads the model itself, as on a
    # cluster, at the cost of two process start-ups. Two workers and one article per
    # task, so that results from different workers must be put back in input order.
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        text, report = enrich_to_text(
            seeds_dir, dask_address=cluster.scheduler_address, batch_articles=1
        )
    assert not report.errors and report.articles == 2
    assert text.encode("utf-8") == enriched_seeds.read_bytes()


def test_dask_unreachable_scheduler_is_one_clear_error() -> None:
    pytest.importorskip("dask.distributed")
    from index.enrich.cluster import DaskPool, DistributedError

    with pytest.raises(DistributedError) as caught:
        DaskPool("tcp://127.0.0.1:9", "en_core_web_sm", timeout=1)
    message = str(caught.value)
    assert "\n" not in message and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in message


def test_dask_missing_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from index.enrich.cluster import DaskPool, DistributedError

    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(DistributedError, match=r"install newsdesk\[dask\]"):
        DaskPool("tcp://127.0.0.1:8786", "en_core_web_sm")


# -- the command ---------------------------------------------------------------------


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN), *args],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_cli_enrich_to_file_and_stdout(
    enriched_seeds: Path, seeds_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old contents\n")
    proc = run("enrich", str(seeds_dir), "-o", str(out), "--workers", "0")
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == enriched_seeds.read_bytes()
    assert b"enriched 2 articles from 2 files; 0 errors" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]  # no temp file left

    proc = run("enrich", str(seeds_dir), "-o", "-", "--workers", "0")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == enriched_seeds.read_bytes()


def test_cli_enrich_bad_input_is_one_line_and_exit_1(
    enriched_seeds: Path, seeds_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(seeds_dir.iterdir()):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "zz_empty.txt").write_bytes(b"")
    (folder / "zz_bad.jsonl").write_text('{"title": "x"}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = run("enrich", str(folder), "-o", str(out), "--workers", "0")
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "Traceback" not in err
    assert f"newsdesk: {folder / 'zz_empty.txt'}: empty file" in err
    assert f"newsdesk: {folder / 'zz_bad.jsonl'}:1: no body text" in err
    assert f"newsdesk: {folder / 'zz_bad.jsonl'}:2: malformed JSON" in err
    assert "enriched 2 articles from 4 files; 3 errors" in err
    assert out.read_bytes() == enriched_seeds.read_bytes()


def test_cli_enrich_usage_and_output_errors(seeds_dir: Path, tmp_path: Path) -> None:
    proc = run("enrich", str(seeds_dir))
    assert proc.returncode == 2 and b"-o/--output" in proc.stderr
    proc = run("enrich", str(seeds_dir), "-o", str(tmp_path / "missing" / "out.jsonl"))
    assert proc.returncode == 1 and proc.stderr.count(b"\n") == 1
    assert b"cannot write" in proc.stderr
    proc = run(
        "enrich",
        str(seeds_dir),
        "-o",
        "x.jsonl",
        "--model",
        "no_such_model_xyz",
        "--workers",
        "0",
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert b"spaCy model 'no_such_model_xyz' is not installed" in proc.stderr
    assert b"Traceback" not in proc.stderr
    assert not (tmp_path / "x.jsonl").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".x.jsonl")]


def test_cli_enrich_then_add(enriched_seeds: Path, seed_library: Path, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    proc = run("add", str(enriched_seeds), "--library", str(root), "-q")
    assert proc.returncode == 0, proc.stderr
    assert library_summary(root) == library_summary(seed_library)
