"""The user's curation of entities as pure rules: ``aliases.toml``, merge walks, the label vote.

The file is plain, commented TOML that a user may keep under version control
and edit by hand::

    hide = ["telephonic"]          # false positives
    split = ["Blinken"]            # names kept apart from what they were joined with

    [merge]                        # name = the entity it joins
    "Tony Blinken" = "Antony Blinken"

    [rename]                       # entity = the name to show
    "Antony Blinken" = "Antony J. Blinken"

Names match case-, accent- and punctuation-insensitively. The store keeps the
curation it last applied (as JSON, :func:`curation_to_json`) and brings itself
in line with the file whenever the file's :func:`aliases_digest` changed
(:mod:`index.store.curation`).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from index.entities.names import Equivalents, equivalents, normal_form
from index.models import NAMED_LABELS

__all__ = [
    "Curation",
    "Hop",
    "aliases_digest",
    "curation_from_json",
    "curation_to_json",
    "parse_curation",
    "read_curation",
    "vote",
]

#: Why a name leads to the next one on the way to its root.
Hop = Literal["merge", "equivalent"]


@dataclass(slots=True, frozen=True)
class Curation:
    """The user's decisions about names, as normal forms (read from ``aliases.toml``).

    Attributes:
        merges: A name to the name of the entity it joins.
        splits: Names kept apart from what they were joined with automatically.
        hidden: Roots of the entities hidden as false positives.
        renames: The root of an entity to its display name.
        digest: The :func:`aliases_digest` of the file this came from ("" when there is none).
    """

    merges: dict[str, str] = field(default_factory=dict)
    splits: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    renames: dict[str, str] = field(default_factory=dict)
    digest: str = ""

    def hops(self, norm: str, table: Equivalents | None = None) -> Iterator[tuple[str, Hop]]:
        """Each name a name leads to on the way to its root, and why.

        The user's merge of a name comes first; a name the user split off
        follows no built-in equivalent. The walk stops before a name it has
        already reached, so a cycle of merges ends.
        """
        table = table or equivalents()
        seen = {norm}
        while True:
            nxt = self.merges.get(norm)
            why: Hop = "merge"
            if nxt is None and norm not in self.splits:
                nxt, why = table.root.get(norm), "equivalent"
            if nxt is None or nxt in seen:
                return
            yield nxt, why
            seen.add(nxt)
            norm = nxt

    def root(self, norm: str, table: Equivalents | None = None) -> str:
        """The root name a name belongs to: the end of its :meth:`hops`."""
        root = norm
        for nxt, _why in self.hops(norm, table):
            root = nxt
        return root

    def display(self, root: str, fallback: str, table: Equivalents | None = None) -> str:
        """The display name of the entity rooted at ``root``."""
        table = table or equivalents()
        return self.renames.get(root) or table.display.get(root) or fallback


def vote(counts: dict[str, int]) -> str:
    """The majority label of per-label mention counts (ties go to the earlier named label)."""

    def rank(label: str) -> tuple[int, int, str]:
        order = NAMED_LABELS.index(label) if label in NAMED_LABELS else len(NAMED_LABELS)
        return (-counts[label], order, label)

    return min(counts, key=rank)


def aliases_digest(raw: bytes | None) -> str:
    """The fingerprint of an ``aliases.toml``'s bytes ("" when there is no file)."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest() if raw is not None else ""


def parse_curation(text: str, digest: str = "") -> Curation:
    """Parse the text of an ``aliases.toml``.

    Raises:
        ValueError: One line saying what is wrong (with the line when TOML says it).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"not valid TOML: {err}") from err

    def names(key: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"'{key}' must be a list of names in quotes")
        return value

    def table(key: str) -> dict[str, str]:
        value = data.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ValueError(f"[{key}] must map names to names in quotes")
        return value

    unknown = set(data) - {"hide", "split", "merge", "rename", "version"}
    if unknown:
        known = "hide, split, merge, rename"
        raise ValueError(f"unknown setting {sorted(unknown)[0]!r} (known: {known})")
    merges = {}
    for source, target in table("merge").items():
        a, b = normal_form(source), normal_form(target)
        if a and b and a != b:
            merges[a] = b
    splits = frozenset(filter(None, (normal_form(n) for n in names("split"))))
    partial = Curation(merges=merges, splits=splits)
    table_eq = equivalents()
    hidden = frozenset(partial.root(n, table_eq) for n in map(normal_form, names("hide")) if n)
    renames = {
        partial.root(normal_form(k), table_eq): " ".join(v.split())
        for k, v in table("rename").items()
        if normal_form(k) and v.strip()
    }
    return Curation(merges, splits, hidden, renames, digest)


def read_curation(path: Path) -> tuple[Curation, str | None]:
    """Read a library's ``aliases.toml``.

    Returns:
        The curation (empty when the file is missing or broken) and, when it is
        broken, a one-line error naming the file.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Curation(), None
    except OSError as err:
        return Curation(), f"{path}: cannot read: {err.strerror or err}"
    digest = aliases_digest(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Curation(), f"{path}: not UTF-8 text"
    try:
        return parse_curation(text, digest), None
    except ValueError as err:
        return Curation(), f"{path}: {err}"


def curation_to_json(curation: Curation) -> str:
    """The curation as the JSON the store keeps."""
    return json.dumps(
        {
            "merges": curation.merges,
            "splits": sorted(curation.splits),
            "hidden": sorted(curation.hidden),
            "renames": curation.renames,
            "digest": curation.digest,
        },
        sort_keys=True,
    )


def curation_from_json(text: str | None) -> Curation:
    """The curation a store applied last (empty when none)."""
    if not text:
        return Curation()
    data = json.loads(text)
    return Curation(
        dict(data["merges"]),
        frozenset(data["splits"]),
        frozenset(data["hidden"]),
        dict(data["renames"]),
        data.get("digest", ""),
    )
