"""Sentence templates: derived from the seed articles, plus generic news sentences.

A template is a tuple of parts: a literal string, or a slot name in
:data:`SLOTS` (an entity kind, or a plain word kind such as ``TOPIC``).
Seed sentences become templates by replacing the entity names they hold
(listed in :data:`SEED_ENTITIES`) with slots of that kind.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from index.ingest.clean import clean_text

Template = tuple[str, ...]

#: Slots that become entity spans, and slots that are plain words.
ENTITY_SLOTS = ("PERSON", "ORG", "GPE", "NORP", "DATE", "EVENT")
WORD_SLOTS = ("TOPIC", "NOUN", "NUM")
SLOTS = frozenset(ENTITY_SLOTS + WORD_SLOTS)

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"

#: Entity names in the seed articles and their kinds (longest match wins).
SEED_ENTITIES: dict[str, str] = {
    **dict.fromkeys(
        "Antony Blinken|Blinken|Wang Yi|Wang|Joe Biden|Biden|Wendy Sherman|Xi Jinping|"
        "Jake Sullivan|Yang Jiechi|Yang|Zhao Lijian|Zhao|Jen Psaki|Janet Yellen|Gina Raimondo|"
        "John Kerry|Qin Gang|Nicholas Burns".split("|"),
        "PERSON",
    ),
    **dict.fromkeys(
        "Financial Times|FT|White House|State Department|World Health Organization|Huawei|WSJ|"
        "Pentagon|Sputnik|Chinese Foreign Ministry|Wuhan Institute of Virology|"
        "US Army Futures Command|US State Department|Fort Detrick".split("|"),
        "ORG",
    ),
    **dict.fromkeys(
        "US|U.S.|Beijing|China|Italy|Washington|Alaska|Hong Kong|Xinjiang|Wuhan|Taiwan|Canada|"
        "Frederick|Hiroshima".split("|"),
        "GPE",
    ),
    **dict.fromkeys("Chinese|American|Canadian|Japanese|Sino".split("|"), "NORP"),
    **dict.fromkeys(
        "October 2019|November 2019|October|March|May 8, 2023|yesterday|next week".split("|"),
        "DATE",
    ),
    **dict.fromkeys("G20|G7 Summit|World Military Games".split("|"), "EVENT"),
}

#: Generic news sentences in the seeds' register, for variety of vocabulary.
GENERIC = (
    "{PERSON} said the {NOUN} on {TOPIC} with {ORG} would resume in {GPE} {DATE}.",
    "Officials in {GPE} confirmed that {NUM} delegations had arrived for the {NOUN}.",
    "{ORG} warned that the {TOPIC} {NOUN} could fail without support from {GPE}.",
    "According to {ORG}, the {TOPIC} {NOUN} was drafted by advisers close to {PERSON}.",
    "{PERSON}, who leads the {TOPIC} portfolio, declined to comment on the {NOUN}.",
    "The {NORP} government has spent {NUM} months preparing a {NOUN} on {TOPIC}.",
    "Critics of {PERSON} argue that the {NOUN} ignores the cost of {TOPIC} for {GPE}.",
    "In a statement, {ORG} said it was \u201cdeeply concerned\u201d about {TOPIC} in {GPE}.",
    "{PERSON} met {PERSON} in {GPE} to discuss {TOPIC} and the upcoming {EVENT}.",
    "Analysts at {ORG} expect {TOPIC} to dominate the {NOUN} for at least {NUM} weeks.",
    "The {NOUN} follows months of tension between {GPE} and {GPE} over {TOPIC}.",
    "Speaking to reporters in {GPE}, {PERSON} called the {NOUN} \u201ca first step\u201d.",
    "{ORG} has not said whether it will back the {TOPIC} {NOUN} announced {DATE}.",
    "Representatives of {ORG} and {ORG} are expected to sign the {NOUN} in {GPE}.",
    "{PERSON} told {ORG} that {TOPIC} remained the most urgent issue for {GPE}.",
    "The {NORP} delegation, led by {PERSON}, left {GPE} without a {NOUN} on {TOPIC}.",
    "Prices linked to {TOPIC} rose by {NUM} percent after the {NOUN} was published.",
    "A spokesperson for {ORG} said {PERSON} had been briefed on the {NOUN}.",
    "{GPE} and {GPE} have traded accusations over {TOPIC} since {DATE}.",
    "The {NOUN} on {TOPIC} was first proposed by {PERSON} at the {EVENT}.",
    "{PERSON} is due to travel to {GPE} {DATE} for a {NOUN} on {TOPIC}.",
    "Few details of the {NOUN} have been released, but {ORG} says {TOPIC} is central to it.",
    "Opposition lawmakers in {GPE} have demanded that {PERSON} explain the {NOUN}.",
    "Earlier, {PERSON} had described {TOPIC} as a matter of national security.",
    "Local officials said {NUM} people were affected by the {TOPIC} crisis near {GPE}.",
    "{ORG} said the review of {TOPIC} would be completed by {DATE}.",
    "The {NORP} side insisted that the {NOUN} respect its position on {TOPIC}.",
    "{PERSON} and {PERSON} have clashed repeatedly over {TOPIC} and the {NOUN}.",
)

TITLES = (
    "{PERSON} and {PERSON} discuss {TOPIC} in {GPE}",
    "{ORG} warns of {TOPIC} {NOUN}",
    "{GPE} and {GPE} agree on {TOPIC} {NOUN}",
    "{PERSON} says {TOPIC} {NOUN} will go ahead",
    "Inside the {TOPIC} {NOUN} dividing {GPE}",
    "{NORP} officials weigh {TOPIC} {NOUN} after {EVENT}",
    "What the {TOPIC} {NOUN} means for {GPE}",
    "{ORG} backs {PERSON} on {TOPIC}",
)

_SENTENCE_END = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"])")
_SLOT = re.compile(r"\{([A-Z]+)\}")
_META = re.compile(r"^(?:date\s+\S+|(?:title|source|url|author):.*)$", re.IGNORECASE)


def seed_texts() -> list[str]:
    """The bodies of the bundled seed articles, cleaned, in file-name order."""
    bodies = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        while lines and (_META.match(lines[0].strip()) or not lines[0].strip()):
            lines.pop(0)
        bodies.append(clean_text("\n".join(lines)))
    return bodies


def seed_digest() -> str:
    """A short digest of the seed text (part of the generator's cache key)."""
    digest = hashlib.blake2b(digest_size=6)
    for text in seed_texts():
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def _entity_pattern() -> re.Pattern[str]:
    names = sorted(SEED_ENTITIES, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


def parse_template(text: str) -> Template:
    """Turn ``"{PERSON} met {GPE}."`` into ``("PERSON", " met ", "GPE", ".")``."""
    parts: list[str] = []
    pos = 0
    for match in _SLOT.finditer(text):
        if match.start() > pos:
            parts.append(text[pos : match.start()])
        if match.group(1) not in SLOTS:
            raise ValueError(f"unknown slot {match.group(0)} in {text!r}")
        parts.append(match.group(1))
        pos = match.end()
    if pos < len(text):
        parts.append(text[pos:])
    return tuple(parts)


def _usable(sentence: str) -> bool:
    words = sentence.split()
    if not 6 <= len(words) <= 70 or not sentence[0].isupper():
        return False
    if any(bad in sentence for bad in ("http", "@", "pic.twitter", "[", "{", "}")):
        return False
    return sentence.rstrip('\u201d"').endswith((".", "!", "?"))


def seed_templates() -> list[Template]:
    """Templates from the seed sentences, entity names replaced by slots."""
    pattern = _entity_pattern()
    templates: list[Template] = []
    for body in seed_texts():
        for paragraph in body.split("\n"):
            for sentence in _SENTENCE_END.split(paragraph.strip()):
                sentence = sentence.strip()
                if not _usable(sentence):
                    continue
                marked = pattern.sub(lambda m: "{" + SEED_ENTITIES[m.group(1)] + "}", sentence)
                templates.append(parse_template(marked))
    return templates


def all_templates() -> tuple[list[Template], list[Template]]:
    """The body templates (seed-derived first, then generic) and the title templates."""
    body = seed_templates() + [parse_template(t) for t in GENERIC]
    return body, [parse_template(t) for t in TITLES]
