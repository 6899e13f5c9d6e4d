"""Enriched records: an article with its entity and sentence spans, as one JSON object.

``newsdesk enrich`` writes them (one per line) and ``newsdesk add`` reads them
back through the JSON readers without running NER again. The format, shared
with the benchmark generator, is exactly::

    {"newsdesk": "enriched/1", "id": ..., "title": ..., "body": ...,
     "date": ... | null, "source": ..., "url": ..., "author": ...,
     "model": "<model name> <model version>",
     "entities": [[start, end, "LABEL"], ...], "sentences": [[start, end], ...]}

Offsets are character offsets (Python string indices) into ``body``, which is
already cleaned; entities are sorted by start. Lines are dumped with sorted
keys, no spaces and UTF-8 text, so that the same input always gives the same
bytes.

Reading one back (:func:`attach_spans`) trusts nothing: the article is
rebuilt by :func:`~index.ingest.sources.base.make_article` exactly as for a plain
record (so the id is recomputed, never taken from the record), and the body
must already be clean and every span must lie inside it, else the record is
one error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from index.enrich.ner import is_entity_text
from index.ingest.sources.reasons import SourceError
from index.models import Article, EnrichedArticle, EntitySpan, Sentence
from index.safe_text import one_line

__all__ = [
    "ENRICHED_FORMAT",
    "MARKER",
    "EnrichedRecord",
    "attach_spans",
    "dump_record",
    "enriched_record",
    "record_format",
]

#: The key that marks an enriched record, and the one format version read and written.
MARKER = "newsdesk"
ENRICHED_FORMAT = "enriched/1"
_LABEL = re.compile(r"[A-Z_]+")


@dataclass(slots=True)
class EnrichedRecord(EnrichedArticle):
    """An enriched article read from a record, with the model that enriched it.

    Attributes:
        model: The record's ``"<model name> <model version>"``.
    """

    model: str = ""


def enriched_record(item: EnrichedArticle, model: str) -> dict[str, Any]:
    """The record of an enriched article.

    Args:
        item: The article with its spans.
        model: ``"<model name> <model version>"`` of the model that found them.

    Returns:
        A JSON-ready dict with exactly the format's keys.
    """
    art = item.article
    entities = sorted((span.start, span.end, span.label) for span in item.entities)
    sentences = sorted((sent.start, sent.end) for sent in item.sentences)
    return {
        MARKER: ENRICHED_FORMAT,
        "id": art.id,
        "title": art.title,
        "body": art.body,
        "date": art.date,
        "source": art.source,
        "url": art.url,
        "author": art.author,
        "model": model,
        "entities": [list(span) for span in entities],
        "sentences": [list(sent) for sent in sentences],
    }


def dump_record(item: EnrichedArticle, model: str) -> str:
    """One enriched record as a JSON line (without the newline), byte-for-byte deterministic."""
    return json.dumps(
        enriched_record(item, model), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def record_format(record: dict[str, Any]) -> str | None:
    """The enriched format a decoded JSON object claims, or None for a plain article.

    Raises:
        SourceError: It claims an enriched format this version does not read.
    """
    value = record.get(MARKER)
    if value == ENRICHED_FORMAT:
        return value
    if isinstance(value, str) and value.startswith("enriched/"):
        raise SourceError(
            f"unsupported record format {one_line(value, 40)!r} (this newsdesk reads"
            f" {ENRICHED_FORMAT})"
        )
    return None


def _offset(value: Any) -> bool:
    return type(value) is int


def _entities(value: Any, body: str) -> list[EntitySpan]:
    if not isinstance(value, list):
        raise SourceError("enriched record has no entity list")
    spans: list[EntitySpan] = []
    for raw in value:
        if not (isinstance(raw, list) and len(raw) == 3 and _offset(raw[0]) and _offset(raw[1])):
            raise SourceError(
                'enriched record has a malformed entity span (expected [start, end, "LABEL"])'
            )
        start, end, label = raw
        if not 0 <= start < end <= len(body):
            raise SourceError(f"enriched record has an entity span {start}-{end} outside the body")
        if not isinstance(label, str) or not _LABEL.fullmatch(label):
            shown = one_line(label, 40) if isinstance(label, str) else type(label).__name__
            raise SourceError(
                f"enriched record has an entity span {start}-{end} with a bad label {shown!r}"
                " (expected A-Z and _)"
            )
        text = body[start:end]
        if is_entity_text(text):  # like the enrichment stage: no punctuation-only entities
            spans.append(EntitySpan(start, end, label, text))
    spans.sort(key=lambda span: (span.start, span.end, span.label))
    return spans


def _sentences(value: Any, body: str) -> list[Sentence]:
    if not isinstance(value, list):
        raise SourceError("enriched record has no sentence list")
    sentences: list[Sentence] = []
    for raw in value:
        if not (isinstance(raw, list) and len(raw) == 2 and _offset(raw[0]) and _offset(raw[1])):
            raise SourceError(
                "enriched record has a malformed sentence span (expected [start, end])"
            )
        start, end = raw
        if not 0 <= start < end <= len(body):
            raise SourceError(f"enriched record has a sentence span {start}-{end} outside the body")
        sentences.append(Sentence(start, end))
    sentences.sort(key=lambda sent: (sent.start, sent.end))
    return sentences


def attach_spans(record: dict[str, Any], raw_body: str, article: Article) -> EnrichedRecord:
    """Check an enriched record against the article built from it and attach its spans.

    Args:
        record: The decoded record.
        raw_body: The body exactly as the record holds it.
        article: The article :func:`~index.ingest.sources.base.make_article` built from the record.

    Returns:
        The article with its entities (sorted by start) and sentences.

    Raises:
        SourceError: The body is not clean, a span is malformed or outside the
            body, a label is not ``[A-Z_]+``, or the model is missing.
    """
    if article.body != raw_body:
        raise SourceError(
            "enriched record has a body that is not clean text (cleaning would change it)"
        )
    model = record.get("model")
    if not isinstance(model, str) or not model.strip():
        raise SourceError("enriched record has no model name")
    entities = _entities(record.get("entities"), article.body)
    sentences = _sentences(record.get("sentences"), article.body)
    return EnrichedRecord(article=article, entities=entities, sentences=sentences, model=model)
