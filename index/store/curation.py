"""The user's curation of entities: ``aliases.toml``, and applying it to the store.

The file is plain, commented TOML that a user may keep under version control
and edit by hand::

    hide = ["telephonic"]          # false positives
    split = ["Blinken"]            # names kept apart from what they were joined with

    [merge]                        # name = the entity it joins
    "Tony Blinken" = "Antony Blinken"

    [rename]                       # entity = the name to show
    "Antony Blinken" = "Antony J. Blinken"

Names match case-, accent- and punctuation-insensitively. The store keeps the
curation it last applied (as JSON in its metadata); :func:`sync_curation`
brings the store in line with the file whenever the file changed, without
re-running NER or touching the Whoosh index.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tomllib
from dataclasses import dataclass
from pathlib import Path

from index.entities.names import equivalents, normal_form
from index.entities.resolve import NAMED_SPACE
from index.store.entities import recount_entities
from index.store.identity import Curation, Namer

__all__ = [
    "SyncReport",
    "applied_curation",
    "curation_from_json",
    "parse_curation",
    "read_curation",
    "sync_curation",
]

_META = "curation"


@dataclass(slots=True, frozen=True)
class SyncReport:
    """What applying a curation changed."""

    names_moved: int = 0
    mentions_moved: int = 0
    entities_touched: int = 0


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
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
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


def applied_curation(conn: sqlite3.Connection) -> Curation:
    """The curation the store applied last."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_META,)).fetchone()
    return curation_from_json(row[0] if row else None)


def sync_curation(store, path: Path) -> tuple[SyncReport | None, str | None]:
    """Apply ``aliases.toml`` to a store opened for writing, if it changed.

    Args:
        store: A writable :class:`~index.store.db.Store` (hold the library's write lock).
        path: The ``aliases.toml`` file.

    Returns:
        The report (None when nothing had changed) and a one-line error when
        the file is broken (the store then keeps the curation it had).
    """
    new, error = read_curation(path)
    if error:
        return None, error
    old = applied_curation(store.conn)
    if old.digest == new.digest and old == new:
        return None, None
    with store.transaction() as c:
        report = _apply(c, old, new)
        c.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (_META, curation_to_json(new))
        )
    store.reset_namer()
    return report, None


def _apply(c: sqlite3.Connection, old: Curation, new: Curation) -> SyncReport:
    namer = Namer(c, new)
    touched: set[int] = set()
    mentions_moved = 0
    # 1. splits that changed: re-point those aliases' mentions to their new names.
    repoint: list[tuple[int, str, int]] = []
    for norm in sorted(old.splits ^ new.splits):
        row = c.execute(
            "SELECT id, display FROM names WHERE space = ? AND norm = ?", (NAMED_SPACE, norm)
        ).fetchone()
        if row is None:
            continue
        alias_id, display = row
        split = norm in new.splits
        for article, start, auto, label in c.execute(
            "SELECT article, start, auto, label FROM mentions WHERE alias = ? AND auto != alias",
            (alias_id,),
        ).fetchall():
            target = alias_id
            if split:
                namer.entity_of(NAMED_SPACE, norm, display, label)
            else:
                target = auto
            repoint.append((target, article, start))
    # 2. every name's entity follows its root under the new curation.
    moves: list[tuple[int, int, int]] = []
    rows = c.execute(
        "SELECT n.id, n.norm, n.entity, e.norm, e.label FROM names n"
        " JOIN entities e ON e.id = n.entity WHERE n.space = ?",
        (NAMED_SPACE,),
    ).fetchall()
    for name_id, norm, entity, root_now, label in rows:
        root = new.root(norm, namer.table)
        if root != root_now:
            target = namer.entity_row(NAMED_SPACE, root, "", label)
            c.execute("UPDATE names SET entity = ? WHERE id = ?", (target, name_id))
            moves.append((name_id, entity, target))
    for name_id, source, target in moves:
        cur = c.execute(
            "UPDATE mentions SET entity = ? WHERE entity = ? AND name = ?",
            (target, source, name_id),
        )
        mentions_moved += cur.rowcount
        touched.update((source, target))
    for name_id, article, start in repoint:
        before = c.execute(
            "SELECT entity FROM mentions WHERE article = ? AND start = ?", (article, start)
        ).fetchone()
        after = c.execute("SELECT entity FROM names WHERE id = ?", (name_id,)).fetchone()[0]
        c.execute(
            "UPDATE mentions SET name = ?, entity = ? WHERE article = ? AND start = ?",
            (name_id, after, article, start),
        )
        touched.update((before[0], after))
        mentions_moved += 1
    # 3. names and hidden flags.
    for root in (old.hidden - new.hidden) | set(old.renames) - set(new.renames):
        row = c.execute(
            "SELECT id FROM entities WHERE space = ? AND norm = ?", (NAMED_SPACE, root)
        ).fetchone()
        if row is not None:
            touched.add(row[0])
            _reset_display(c, namer, row[0], root)
            c.execute("UPDATE entities SET hidden = 0 WHERE id = ?", (row[0],))
    for root in new.hidden:
        c.execute(
            "UPDATE entities SET hidden = 1 WHERE space = ? AND norm = ?", (NAMED_SPACE, root)
        )
    for root, display in new.renames.items():
        c.execute(
            "UPDATE entities SET name = ? WHERE space = ? AND norm = ?",
            (display, NAMED_SPACE, root),
        )
    recount_entities(c, touched)
    return SyncReport(len(moves), mentions_moved, len(touched))


def _reset_display(c: sqlite3.Connection, namer: Namer, entity: int, root: str) -> None:
    row = c.execute(
        "SELECT display FROM names WHERE space = ? AND norm = ?", (NAMED_SPACE, root)
    ).fetchone()
    display = namer.curation.display(root, row[0] if row else root, namer.table)
    c.execute("UPDATE entities SET name = ? WHERE id = ?", (display, entity))
