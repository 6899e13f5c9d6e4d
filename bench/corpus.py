"""A deterministic generator of a realistic synthetic news corpus, with its true entity spans.

Bodies (300 to 1,200 words) are made of sentence templates taken from the seed
articles (and generic sentences in their register), with names filled in from
invented entity lists whose use follows a Zipf-like long tail: a few entities
are in thousands of articles, most in one or two. People are mentioned by full
name first and often by surname alone after; some organisations and places
have acronym forms ("U.S." / "US" / "United States"), so entity resolution is
exercised. Dates spread over 2018-2024.

Output: ``enriched/part-NNNNN.jsonl`` (enriched records, the format
``newsdesk add`` reads without running NER) and ``known.json`` (the true counts:
per entity articles, mentions and surface forms; totals; suggested queries).
Same arguments, same bytes: every article has its own seeded ``random.Random``.

Run: ``python -m bench.corpus --size 1000 --out DIR``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from bench import names as N
from bench.queries import WORD, suggest_queries
from bench.templates import ENTITY_SLOTS, Template, all_templates, seed_digest
from index.ingest.clean import clean_text

GENERATOR_VERSION = 1
SHARD = 1000
START, DAYS = date(2018, 1, 1), 7 * 365
MODEL = "synthetic"
_WORD = WORD


def cache_key(size: int, seed: int = 0) -> str:
    """The cache key of a corpus: generator version, seed text digest, size, seed."""
    return f"v{GENERATOR_VERSION}-{seed_digest()}-n{size}-s{seed}"


@dataclass(slots=True)
class Entity:
    label: str
    name: str
    forms: tuple[str, ...] = ()  # other surface forms (surname, acronyms)
    short_after_first: bool = False  # later mentions prefer a short form

    @property
    def key(self) -> str:
        return f"{self.label}:{self.name}"


def _zipf_cum(n: int, q: float, s: float = 1.0) -> list[float]:
    return list(accumulate(1.0 / (r + q) ** s for r in range(n)))


def _syllables(rng: random.Random, count: int) -> str:
    return "".join(
        rng.choice(N.ONSETS) + rng.choice(N.VOWELS) + rng.choice(N.CODAS) for _ in range(count)
    )


class Universe:
    """Every entity the corpus can name, by kind and popularity rank (deterministic)."""

    def __init__(
        self, seed: int = 0, people: int = 150_000, orgs: int = 40_000, places: int = 30_000
    ) -> None:
        rng = random.Random(f"newsdesk-bench-universe:{seed}")
        taken: set[str] = set()
        self.people = self._people(rng, people, taken)
        self.orgs = self._orgs(rng, orgs, taken)
        self.places = self._places(rng, places, taken)
        self.norps = [Entity("NORP", n) for n in N.NATIONALITIES]
        self.events = [Entity("EVENT", n) for n in N.EVENTS]
        self.cum = {
            "PERSON": _zipf_cum(len(self.people), 5.0),
            "ORG": _zipf_cum(len(self.orgs), 3.0),
            "GPE": _zipf_cum(len(self.places), 2.0),
            "NORP": _zipf_cum(len(self.norps), 1.0),
            "EVENT": _zipf_cum(len(self.events), 1.0),
            "TOPIC": _zipf_cum(len(N.TOPICS), 2.0),
            "SOURCE": _zipf_cum(len(N.SOURCES), 2.0),
        }
        self.pool = {
            "PERSON": self.people,
            "ORG": self.orgs,
            "GPE": self.places,
            "NORP": self.norps,
            "EVENT": self.events,
        }

    @staticmethod
    def _people(rng: random.Random, count: int, taken: set[str]) -> list[Entity]:
        out = []
        family_first = {"Wei Zhennan", "Chen Baoshan"}
        for name in N.HEAD_PEOPLE:
            short = name.split()[0] if name in family_first else name.split()[-1]
            out.append(Entity("PERSON", name, (short,), True))
            taken.update((name, short))
        surnames: Counter[str] = Counter()
        tail = []
        while len(out) + len(tail) < count:
            first = rng.choice(N.FIRST_NAMES)
            if rng.random() < 0.3:
                last = rng.choice(N.SURNAMES)
            else:
                last = _syllables(rng, rng.randint(1, 2)).capitalize() + rng.choice(
                    N.SURNAME_ENDINGS
                )
            name = f"{first} {last}"
            if name in taken or last in taken:
                continue
            taken.add(name)
            surnames[last] += 1
            tail.append((name, last))
        for rank, (name, last) in enumerate(tail):
            unique = surnames[last] == 1 and rank < 20_000
            out.append(Entity("PERSON", name, (last,) if unique else (), unique))
        taken.update(last for _, last in tail)
        return out

    @staticmethod
    def _orgs(rng: random.Random, count: int, taken: set[str]) -> list[Entity]:
        out = [Entity("ORG", name, forms, bool(forms)) for name, forms in N.HEAD_ORGS]
        taken.update(name for name, _ in N.HEAD_ORGS)
        while len(out) < count:
            pick = rng.random()
            if pick < 0.4:
                stem = rng.choice(N.SURNAMES)
            elif pick < 0.8:
                stem = _syllables(rng, 2).capitalize()
            else:
                stem = rng.choice(N.TOPICS).replace("-", " ").title()
            name = f"{stem} {rng.choice(N.ORG_SUFFIXES)}"
            if name not in taken:
                taken.add(name)
                out.append(Entity("ORG", name))
        return out

    @staticmethod
    def _places(rng: random.Random, count: int, taken: set[str]) -> list[Entity]:
        out = [Entity("GPE", name, forms, bool(forms)) for name, forms in N.HEAD_PLACES]
        taken.update(name for name, _ in N.HEAD_PLACES)
        while len(out) < count:
            name = _syllables(rng, rng.randint(1, 2)).capitalize() + rng.choice(N.TOWN_ENDINGS)
            if name not in taken:
                taken.add(name)
                out.append(Entity("GPE", name))
        return out

    def draw(self, rng: random.Random, kind: str, k: int) -> list[Entity]:
        """``k`` distinct entities of a kind, Zipf-weighted."""
        pool, cum = self.pool[kind], self.cum[kind]
        k = min(k, len(pool))
        chosen: dict[int, None] = {}
        while len(chosen) < k:
            chosen[rng.choices(range(len(pool)), cum_weights=cum)[0]] = None
        return [pool[i] for i in chosen]


@dataclass(slots=True)
class Article:
    record: dict
    mentions: list[tuple[str, str]] = field(default_factory=list)  # (entity key, surface)
    words: int = 0


class _Filler:
    """Fills the slots of one article's templates, remembering who was named."""

    def __init__(self, uni: Universe, rng: random.Random, when: date) -> None:
        self.uni, self.rng, self.when = uni, rng, when
        self.cast = {
            "PERSON": uni.draw(rng, "PERSON", rng.randint(2, 6)),
            "ORG": uni.draw(rng, "ORG", rng.randint(1, 4)),
            "GPE": uni.draw(rng, "GPE", rng.randint(2, 5)),
        }
        self.weights = {
            kind: [1.0 / (i + 1) for i in range(len(members))]
            for kind, members in self.cast.items()
        }
        self.named: set[str] = set()

    def entity(self, kind: str, used: set[str]) -> Entity:
        """A cast member (or a fresh draw), not one already named in this sentence if possible."""
        rng = self.rng
        for _ in range(4):
            if kind in self.cast:
                ent = rng.choices(self.cast[kind], weights=self.weights[kind])[0]
            else:
                ent = self.uni.draw(rng, kind, 1)[0]
            if ent.key not in used:
                break
        used.add(ent.key)
        return ent

    def surface(self, ent: Entity) -> str:
        if not ent.forms:
            return ent.name
        seen = ent.key in self.named
        if ent.label == "PERSON":
            return ent.forms[0] if seen and self.rng.random() < 0.75 else ent.name
        if self.rng.random() < (0.7 if seen else 0.4):
            return self.rng.choice(ent.forms)
        return ent.name

    def word(self, kind: str) -> str:
        rng = self.rng
        if kind == "TOPIC":
            topic = rng.choices(N.TOPICS, cum_weights=self.uni.cum["TOPIC"])[0]
            return topic.replace("-", " ")
        if kind == "NOUN":
            return rng.choice(N.NOUNS)
        if kind == "NUM":
            return str(rng.randint(2, 90))
        if kind == "DATE":
            month = N.MONTHS[(self.when.month - 1 + rng.randint(-3, 3)) % 12]
            if rng.random() < 0.5:
                return f"{month} {self.when.year - rng.randint(0, 2)}"
            return f"{month} {rng.randint(1, 28)}"
        raise ValueError(kind)

    def fill(self, template: Template, spans: list | None, base: int) -> str:
        """Render a template; append ``(start, end, label, key, surface)`` to ``spans``."""
        out: list[str] = []
        length = 0
        used: set[str] = set()
        for part in template:
            if part in ENTITY_SLOTS and part != "DATE":
                ent = self.entity(part, used)
                text = self.surface(ent)
                if spans is not None:
                    spans.append((base + length, base + length + len(text), part, ent.key, text))
                    self.named.add(ent.key)
            elif part in ("DATE", "TOPIC", "NOUN", "NUM"):
                text = self.word(part)
                if part == "DATE" and spans is not None:
                    key = f"DATE:{text}"
                    spans.append((base + length, base + length + len(text), part, key, text))
            else:
                text = part
                if out and out[-1].endswith(".") and text.startswith("."):
                    text = text[1:]  # "the U.S." + "." -> one full stop
            out.append(text)
            length += len(text)
        rendered = "".join(out)
        return rendered[0].upper() + rendered[1:] if rendered else rendered


def make_article(
    uni: Universe, bodies: list[Template], titles: list[Template], seed: int, index: int
) -> Article:
    """Article ``index`` of the corpus (independent of the corpus size)."""
    rng = random.Random(f"newsdesk-bench:{seed}:{index}")
    when = START + timedelta(days=rng.randrange(DAYS))
    filler = _Filler(uni, rng, when)
    target = rng.randint(300, 1200)
    spans: list[tuple[int, int, str, str, str]] = []
    sentences: list[list[int]] = []
    parts: list[str] = []
    length = words = 0
    in_paragraph, paragraph_size = 0, rng.randint(2, 5)
    while words < target:
        if parts:
            sep = " " if in_paragraph < paragraph_size else "\n\n"
            if sep == "\n\n":
                in_paragraph, paragraph_size = 0, rng.randint(2, 5)
            parts.append(sep)
            length += len(sep)
        text = filler.fill(rng.choice(bodies), spans, length)
        sentences.append([length, length + len(text)])
        parts.append(text)
        length += len(text)
        words += len(text.split())
        in_paragraph += 1
    body = "".join(parts)
    if clean_text(body) != body:
        raise AssertionError(f"article {index}: generated body is not clean text")
    title = filler.fill(rng.choice(titles), None, 0)
    source, domain = rng.choices(N.SOURCES, cum_weights=uni.cum["SOURCE"])[0]
    slug = "-".join(_WORD.findall(title.lower())[:6])
    author = (
        "" if rng.random() < 0.15 else (f"{rng.choice(N.FIRST_NAMES)} {rng.choice(N.SURNAMES)}")
    )
    record = {
        "newsdesk": "enriched/1",
        "id": "",
        "title": title,
        "body": body,
        "date": when.isoformat(),
        "source": source,
        "url": f"https://www.{domain}/{when:%Y/%m/%d}/{slug}-{index}",
        "author": author,
        "model": MODEL,
        "entities": [[s, e, label] for s, e, label, _, _ in spans],
        "sentences": sentences,
    }
    mentions = [(key, text) for _, _, _, key, text in spans]
    return Article(record, mentions, words)


def dump(record: dict) -> str:
    """One record as a JSON line: sorted keys, no spaces, UTF-8 (like ``newsdesk enrich``)."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def generate(size: int, out: Path, *, seed: int = 0, shard: int = SHARD) -> dict:
    """Write ``size`` articles under ``out`` and return the known counts (also ``known.json``)."""
    out = Path(out)
    folder = out / "enriched"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.jsonl"):
        old.unlink()
    uni = Universe(seed)
    bodies, titles = all_templates()
    entities: dict[str, list] = {}  # key -> [articles, mentions, {surface: mentions}]
    df: Counter[str] = Counter()
    totals = Counter()
    handle = None
    for index in range(size):
        if index % shard == 0:
            if handle:
                handle.close()
            handle = open(folder / f"part-{index // shard:05d}.jsonl", "w", encoding="utf-8")
        art = make_article(uni, bodies, titles, seed, index)
        handle.write(dump(art.record) + "\n")
        body = art.record["body"]
        totals["articles"] += 1
        totals["mentions"] += len(art.mentions)
        totals["body_chars"] += len(body)
        totals["body_bytes"] += len(body.encode("utf-8"))
        totals["words"] += art.words
        seen: set[str] = set()
        for key, text in art.mentions:
            row = entities.setdefault(key, [0, 0, {}])
            row[1] += 1
            row[2][text] = row[2].get(text, 0) + 1
            if key not in seen:
                seen.add(key)
                row[0] += 1
        df.update(set(_WORD.findall((art.record["title"] + " " + body).lower())))
    if handle:
        handle.close()
    known = _known(size, seed, entities, totals, df)
    (out / "known.json").write_text(
        json.dumps(known, sort_keys=True, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    return known


def _known(size: int, seed: int, entities: dict, totals: Counter, df: Counter) -> dict:
    by_label: Counter[str] = Counter()
    for key, (_, mentions, _) in entities.items():
        by_label[key.split(":", 1)[0]] += mentions
    ranked = sorted(entities.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return {
        "generator": GENERATOR_VERSION,
        "cache_key": cache_key(size, seed),
        "size": size,
        "seed": seed,
        "totals": {
            **dict(sorted(totals.items())),
            "entities": len(entities),
            "vocabulary": len(df),
            "mentions_by_label": dict(sorted(by_label.items())),
        },
        # key -> [articles, mentions, {surface form: mentions}]
        "entities": {key: row for key, row in ranked},
        "queries": suggest_queries(entities, df, size),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shard", type=int, default=SHARD)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    known = generate(args.size, args.out, seed=args.seed, shard=args.shard)
    print(json.dumps(known["totals"], indent=1))


if __name__ == "__main__":
    main()
