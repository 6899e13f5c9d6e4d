"""Query strings for the search benchmark, picked from what a generated corpus holds."""

from __future__ import annotations

import random
import re
from collections import Counter

from bench import names as N

WORD = re.compile(r"[a-z]+")
STOP = frozenset(
    "the a an and or of to in on for at by with from as that this is was were be been has have had"
    " it its his her their they he she we i not but will would could said says".split()
)


def _lexicon() -> set[str]:
    """Plain words of the templates and topic lists (no names), for query picks."""
    from bench.templates import GENERIC, seed_templates

    text = " ".join(GENERIC) + " " + " ".join(N.TOPICS + N.NOUNS)
    text += " " + " ".join(p for t in seed_templates() for p in t)
    return {w for w in WORD.findall(text.lower()) if w not in STOP and len(w) > 3}


def suggest_queries(entities: dict, df: Counter, size: int) -> dict[str, list[str]]:
    """Query strings per kind, picked from what the corpus really holds (deterministic)."""
    rng = random.Random(f"newsdesk-bench-queries:{size}")
    words = sorted((w for w in df if w not in STOP and len(w) > 3), key=lambda w: (-df[w], w))
    common = words[:40:8]
    lexicon = _lexicon()
    plain = [w for w in words if w in lexicon]
    mid = [w for w in plain if 0.01 * size <= df[w] <= 0.2 * size] or plain[40:80]
    rare = sorted(w for w in words if df[w] <= max(1, size // 2000) and len(w) > 5)
    rare = rng.sample(rare, min(5, len(rare)))
    two = [f"{a} {b}" for a, b in zip(common, rng.sample(mid, min(5, len(mid))), strict=False)]
    people = [
        k
        for k, row in sorted(entities.items(), key=lambda kv: -kv[1][1])
        if k.startswith("PERSON:")
    ][:40]
    persons = [f"person:{k.rsplit(' ', 1)[-1].lower()}" for k in people[:3]]
    orgs = [k for k in entities if k.startswith("ORG:") and " " not in k][:1]
    fields = persons + [f"org:{k.split(':', 1)[1].lower()}" for k in orgs] + ["source:reuters"]
    prefix = [w[:5] + "*" for w in rng.sample(mid, min(5, len(mid)))]
    fuzzy_from = [w for w in mid if len(w) >= 6]
    fuzzy = []
    for w in rng.sample(fuzzy_from, min(5, len(fuzzy_from))):
        cut = rng.randrange(1, len(w) - 1)
        fuzzy.append(w[:cut] + w[cut + 1 :] + "~")
    return {
        "common": common,
        "rare": rare,
        "two_words": two,
        "phrase": [
            '"secretary of state"',
            '"foreign minister"',
            '"national security"',
            '"spy balloons"',
            '"debt ceiling crisis"',
        ],
        "field": fields,
        "prefix": prefix,
        "fuzzy": fuzzy,
    }


def worst_queries(queries: dict[str, list[str]]) -> list[str]:
    """The slowest shapes of query the grammar allows, built from a corpus's own words.

    The open-ended ones (a bare ``*``, a range over text) are refused with a
    message; these are what is left at its widest: the shortest prefix the
    parser takes, unions of the most common words and prefixes, a negation that
    keeps nearly every article, a date range over all of them, a phrase of
    common words, and all of those in one query.
    """
    common, prefix, fuzzy = queries["common"], queries["prefix"], queries["fuzzy"]
    mid = [pair.split()[-1] for pair in queries["two_words"]]
    short = [word[:2] + "*" for word in prefix[:3]]
    phrase = f'"{common[0]} {common[1]}"'
    return [
        f"{common[0][:2]}*",
        " OR ".join(common + mid),
        f"NOT {queries['rare'][0]}",
        "date:[1900 TO 2100]",
        " OR ".join(short),
        phrase,
        f"{common[0][:2]}* {phrase} {fuzzy[0]} date:[1900 TO 2100] NOT {queries['rare'][0]}",
        f"({' OR '.join(short)}) ({' OR '.join(fuzzy)})",
    ]
