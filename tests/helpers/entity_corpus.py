"""A small corpus written for entity resolution, as enriched records with known spans.

Each article is a list of sentences; ``[text|LABEL]`` marks an entity span.
Writing the spans by hand (rather than running NER) pins down exactly what
resolution, the label vote and curation must do with them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_MARK = re.compile(r"\[([^\]|]+)\|([A-Z_]+)\]")

ARTICLES = {
    "a1": (
        "2021-01-10",
        "Alaska talks",
        [
            "[Antony Blinken|PERSON] met [Wang Yi|PERSON] in [Alaska|GPE].",
            "[Blinken|PERSON] said the [U.S.|GPE] would press [China|GPE].",
            "[Wang|ORG] rejected the claims.",
        ],
    ),
    "a2": (
        "2021-02-03",
        "Health experts",
        [
            "[The United States|GPE] and [the World Health Organization’s|ORG] experts met.",
            "[Blinken|PERSON] spoke with [Wang Yi|PERSON] by phone.",
        ],
    ),
    "a3": (
        "2021-03-05",
        "Geneva meeting",
        [
            "[US|GPE] officials met [WHO|ORG] staff in [Geneva|GPE].",
            "[Washington|GPE] said the meeting went well.",
        ],
    ),
    "a4": (
        "2021-03-20",
        "A call",
        [
            "[Washington|PERSON] made a [telephonic|PERSON] call to [Beijing|GPE].",
        ],
    ),
    "a5": (
        "2021-03-28",
        "Trade",
        [
            "[USA|GPE] and [Washington|GPE] officials spoke about [Beijing|GPE].",
        ],
    ),
}


def record(date: str, title: str, sentences: list[str]) -> dict:
    """One enriched record from marked-up sentences."""
    body = ""
    entities: list[list] = []
    bounds: list[list[int]] = []
    for sentence in sentences:
        if body:
            body += " "
        start = len(body)
        pos = 0
        for match in _MARK.finditer(sentence):
            body += sentence[pos : match.start()]
            entities.append([len(body), len(body) + len(match.group(1)), match.group(2)])
            body += match.group(1)
            pos = match.end()
        body += sentence[pos:]
        bounds.append([start, len(body)])
    return {
        "newsdesk": "enriched/1",
        "id": "",
        "title": title,
        "body": body,
        "date": date,
        "source": "fixture",
        "url": "",
        "author": "",
        "model": "hand-written",
        "entities": entities,
        "sentences": bounds,
    }


def write_corpus(path: Path, names: list[str] | None = None) -> Path:
    """Write the articles (all, or those named) as one enriched JSONL file."""
    chosen = names or list(ARTICLES)
    lines = [json.dumps(record(*ARTICLES[name]), ensure_ascii=False) for name in chosen]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
