"""The peers: the same corpus and queries through tantivy and through a plain Whoosh index.

Both get a schema comparable to ours (id, title, body stored with positions,
date, source, url, author, and person / org / place names from the true
entity spans) and default settings. Each engine answers a query with its top
20 hits and a highlighted body snippet per hit, like ``Library.search``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bench.common import CACHE, corpus_dir, dir_size, fresh_dir, log, must_build, records

PLACE_LABELS = ("GPE", "LOC", "FAC")
NAME_FIELDS = {"person": ("PERSON",), "org": ("ORG",), "place": PLACE_LABELS}


def _names(rec: dict) -> dict[str, str]:
    body = rec["body"]
    out = {}
    for name, labels in NAME_FIELDS.items():
        found = dict.fromkeys(body[s:e] for s, e, label in rec["entities"] if label in labels)
        out[name] = " _ ".join(found)
    return out


def _meta_path(kind: str, size: int) -> tuple[Path, Path]:
    key = corpus_dir(size).name.removeprefix("corpus-")
    return CACHE / f"{kind}-{key}", CACHE / f"{kind}-{key}.build.json"


def _cached_build(kind: str, size: int, build: Callable[[Path, int], None]) -> tuple[Path, dict]:
    path, meta_path = _meta_path(kind, size)
    if must_build(path.name, meta_path, path):
        log(f"building the {kind} peer index of {size:,} articles in {path}")
        fresh_dir(path)
        start = time.perf_counter()
        build(path, size)
        meta = {
            "seconds": time.perf_counter() - start,
            "size_bytes": dir_size(path),
            "measured": time.strftime("%Y-%m-%d %H:%M"),
        }
        meta_path.write_text(json.dumps(meta, indent=1))
    return path, json.loads(meta_path.read_text())


# ---------------------------------------------------------------- tantivy


def _tantivy_schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=True)
    sb.add_text_field("body", stored=True)
    sb.add_date_field("date", stored=True, indexed=True, fast=True)
    sb.add_text_field("source", stored=True)
    sb.add_text_field("url", stored=True, tokenizer_name="raw")
    sb.add_text_field("author", stored=True)
    for name in NAME_FIELDS:
        sb.add_text_field(name)
    return sb.build()


def _build_tantivy(path: Path, size: int) -> None:
    import tantivy

    index = tantivy.Index(_tantivy_schema(), path=str(path))
    writer = index.writer()
    for number, rec in enumerate(records(size)):
        doc = {
            "id": str(number),
            "title": rec["title"],
            "body": rec["body"],
            "source": rec["source"],
            "url": rec["url"],
            "author": rec["author"],
            **_names(rec),
        }
        if rec.get("date"):
            doc["date"] = datetime.fromisoformat(rec["date"])
        writer.add_document(tantivy.Document(**doc))
    writer.commit()
    writer.wait_merging_threads()


def tantivy_index(size: int) -> tuple[Path, dict]:
    return _cached_build("tantivy", size, _build_tantivy)


class TantivySearch:
    """Top-20 search with body snippets through tantivy."""

    def __init__(self, path: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def query(self, kind: str, text: str):
        t = self.tantivy
        if kind == "prefix":
            stem = re.escape(text.rstrip("*"))
            return t.Query.boolean_query(
                [
                    (t.Occur.Should, t.Query.regex_query(self.schema, f, stem + ".*"))
                    for f in ("title", "body")
                ]
            )
        if kind == "fuzzy":
            term = text.rstrip("~")
            return t.Query.boolean_query(
                [
                    (t.Occur.Should, t.Query.fuzzy_term_query(self.schema, f, term, 1, True, False))
                    for f in ("title", "body")
                ]
            )
        return self.index.parse_query(text, ["title", "body"], conjunction_by_default=True)

    def search(self, kind: str, text: str, limit: int = 20) -> int:
        query = self.query(kind, text)
        result = self.searcher.search(query, limit, count=True)
        snippets = self.tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "body")
        for _score, address in result.hits:
            doc = self.searcher.doc(address)
            snippet = snippets.snippet_from_doc(doc)
            snippet.fragment(), snippet.highlighted()
            doc["title"]
        return result.count or 0


# ---------------------------------------------------------------- raw Whoosh


def _whoosh_schema():
    from whoosh.fields import DATETIME, ID, TEXT, Schema

    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True),
        body=TEXT(stored=True),
        date=DATETIME(stored=True),
        source=TEXT(stored=True),
        url=ID(stored=True),
        author=TEXT(stored=True),
        person=TEXT,
        org=TEXT,
        place=TEXT,
    )


def _build_whoosh(path: Path, size: int) -> None:
    from whoosh.index import create_in

    ix = create_in(str(path), _whoosh_schema())
    writer = ix.writer()
    for number, rec in enumerate(records(size)):
        doc = {
            "id": str(number),
            "title": rec["title"],
            "body": rec["body"],
            "source": rec["source"],
            "url": rec["url"],
            "author": rec["author"],
            **_names(rec),
        }
        if rec.get("date"):
            doc["date"] = datetime.fromisoformat(rec["date"])
        writer.add_document(**doc)
    writer.commit()


def whoosh_index(size: int) -> tuple[Path, dict]:
    return _cached_build("whoosh", size, _build_whoosh)


class WhooshSearch:
    """Top-20 search with body snippets through a plain Whoosh index (default highlighter)."""

    def __init__(self, path: Path) -> None:
        from whoosh.index import open_dir
        from whoosh.qparser import FuzzyTermPlugin, MultifieldParser

        self.ix = open_dir(str(path))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema)
        self.parser.add_plugin(FuzzyTermPlugin())

    def search(self, kind: str, text: str, limit: int = 20) -> int:
        query = self.parser.parse(text)
        results = self.searcher.search(query, limit=limit, terms=True)
        for hit in results:
            hit.highlights("body")
            hit["title"]
        return len(results)
