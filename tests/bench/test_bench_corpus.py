"""The benchmark corpus generator: deterministic, clean, with true spans and true counts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench.corpus import generate
from index.ingest.clean import clean_text

SIZE = 50


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(SIZE, out, shard=20)
    return out


def _records(out: Path) -> list[dict]:
    return [
        json.loads(line)
        for part in sorted((out / "enriched").glob("part-*.jsonl"))
        for line in part.read_text(encoding="utf-8").splitlines()
    ]


def _bytes(out: Path) -> dict[str, bytes]:
    files = sorted(out.rglob("*"))
    return {str(p.relative_to(out)): p.read_bytes() for p in files if p.is_file()}


def test_same_arguments_same_bytes(corpus: Path, tmp_path: Path) -> None:
    generate(SIZE, tmp_path, shard=20)
    assert _bytes(tmp_path) == _bytes(corpus)
    assert len(_bytes(corpus)) == 4  # three shards of at most 20 and known.json


def test_records_are_enriched_clean_and_in_bounds(corpus: Path) -> None:
    records = _records(corpus)
    assert len(records) == SIZE
    for rec in records:
        body = rec["body"]
        assert rec["newsdesk"] == "enriched/1" and rec["model"]
        assert clean_text(body) == body
        assert 300 <= len(body.split()) <= 1300
        starts = [start for start, _, _ in rec["entities"]]
        assert starts == sorted(starts)
        for start, end, label in rec["entities"]:
            assert 0 <= start < end <= len(body)
            assert body[start:end] == body[start:end].strip() and label.isupper()
        previous = 0
        for start, end in rec["sentences"]:
            assert previous <= start < end <= len(body)
            previous = end
        assert rec["date"][:4] in {str(year) for year in range(2018, 2025)}


def test_known_counts_match_the_spans(corpus: Path) -> None:
    known = json.loads((corpus / "known.json").read_text(encoding="utf-8"))
    records = _records(corpus)
    surface_to_key = {
        (key.split(":", 1)[0], form): key
        for key, (_, _, forms) in known["entities"].items()
        for form in forms
    }
    mentions: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    forms: Counter[tuple[str, str]] = Counter()
    for rec in records:
        keys = set()
        for start, end, label in rec["entities"]:
            key = surface_to_key[(label, rec["body"][start:end])]  # every surface maps to one key
            mentions[key] += 1
            forms[(key, rec["body"][start:end])] += 1
            keys.add(key)
        articles.update(keys)
    assert {k: row[1] for k, row in known["entities"].items()} == dict(mentions)
    assert {k: row[0] for k, row in known["entities"].items()} == dict(articles)
    assert {(k, f): n for k, row in known["entities"].items() for f, n in row[2].items()} == dict(
        forms
    )
    totals = known["totals"]
    assert totals["articles"] == SIZE
    assert totals["mentions"] == sum(len(rec["entities"]) for rec in records)
    assert totals["body_bytes"] == sum(len(rec["body"].encode("utf-8")) for rec in records)


def test_aliases_are_exercised(corpus: Path) -> None:
    known = json.loads((corpus / "known.json").read_text(encoding="utf-8"))
    multi = [key for key, (_, _, forms) in known["entities"].items() if len(forms) > 1]
    assert any(key.startswith("PERSON:") for key in multi)  # full name and surname
    assert any(key.startswith(("GPE:", "ORG:")) for key in multi)  # acronyms
    assert all(known["queries"][kind] for kind in known["queries"])
