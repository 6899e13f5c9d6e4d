"""The user's entity edits: merge, split, rename, hide, written to ``aliases.toml``.

Each edit checks its names against the library, rewrites ``aliases.toml`` with
the change (keeping the user's comments and layout; written atomically) and
applies it to the store at once. :meth:`Curator.snapshot` and
:meth:`Curator.restore` give the reader its undo.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from index.entities.curation import parse_curation
from index.entities.matching import pick_entity
from index.entities.names import normal_form
from index.errors import LibraryError
from index.layout import LibraryPaths, WriteLock, atomic_write, boundary, check_safe
from index.models import Entity
from index.store.curation import applied_curation, sync_curation
from index.store.db import Store

__all__ = ["CurationListing", "Curator"]

_HEADER = """\
# newsdesk aliases: how this library names its entities.
# Edit by hand or with `newsdesk alias ...`; names match case-, accent- and
# punctuation-insensitively. Changes apply on the next newsdesk command.

# Names that are not entities (false positives), hidden everywhere.
hide = []

# Names kept apart from what they were joined with automatically (a surname
# from its full name, a built-in equivalent such as "US" from "United States").
split = []

[merge]
# "name" = "the entity it belongs to"

[rename]
# "entity" = "the name to show for it"
"""


@dataclass(slots=True, frozen=True)
class CurationListing:
    """What ``newsdesk alias list`` shows: the file's entries as written."""

    merges: list[tuple[str, str]]
    splits: list[str]
    hidden: list[str]
    renames: list[tuple[str, str]]
    path: str


class Curator:
    """Edits the curation of one library.

    Args:
        root: The library directory.
    """

    def __init__(self, root: str | os.PathLike) -> None:
        self.paths = LibraryPaths(Path(root))
        check_safe(self.paths.root)

    # -- reading ---------------------------------------------------------------------------
    def snapshot(self) -> str | None:
        """The text of ``aliases.toml`` now (None when there is none), for :meth:`restore`."""
        try:
            return self.paths.aliases.read_text("utf-8")
        except FileNotFoundError:
            return None

    def listing(self) -> CurationListing:
        """The file's entries as written."""
        doc = self._load()
        return CurationListing(
            merges=[(str(k), str(v)) for k, v in doc.get("merge", {}).items()],
            splits=[str(v) for v in doc.get("split", [])],
            hidden=[str(v) for v in doc.get("hide", [])],
            renames=[(str(k), str(v)) for k, v in doc.get("rename", {}).items()],
            path=str(self.paths.aliases),
        )

    # -- edits ----------------------------------------------------------------------------------
    def merge(self, source: str, target: str) -> str:
        """Merge the entity ``source`` names into the entity ``target`` names."""
        with self._store() as store:
            a, b = self._one(store, source), self._one(store, target)
            if a.key == b.key:
                raise LibraryError(f"{source!r} and {target!r} are already one entity ({a.key})")
            doc = self._load()
            a_root, b_root = _root(a), _root(b)
            _remove(doc, "split", lambda v: normal_form(v) == a_root)
            doc.setdefault("merge", tomlkit.table())[self._written(store, a_root)] = self._written(
                store, b_root
            )
            self._save(store, doc)
        return f"merged {a.name} [{a.key}] into {b.name} [{b.key}]"

    def split(self, name: str) -> str:
        """Undo a merge, or take an automatically joined name out of its entity."""
        with self._store() as store:
            ent = self._one(store, name)
            doc = self._load()
            root = _root(ent)
            norm = root if name.strip().casefold() == ent.key.casefold() else normal_form(name)
            curation = applied_curation(store.conn)
            merges = doc.setdefault("merge", tomlkit.table())
            mine = [k for k in list(merges) if normal_form(str(k)) == norm]
            into = [k for k in list(merges) if curation.root(normal_form(str(merges[k]))) == root]
            if mine or (norm == root and into):
                for key in mine or into:
                    del merges[key]
                self._save(store, doc)
                return f"split {', '.join(map(str, mine or into))} from {ent.name}"
            ent_id = store.entities.entity_id(ent.key) or -1
            aliases = [a for a, _n in store.entities.aliases(ent_id) if normal_form(a) != root]
            names = [n for n in _names_of(store, ent) if n != root]
            targets = [norm] if norm != root else sorted({*map(normal_form, aliases), *names})
            if not targets:
                raise LibraryError(f"{ent.name} [{ent.key}] has nothing to split: it has one name")
            splits = doc.setdefault("split", tomlkit.array())
            have = {normal_form(str(v)) for v in splits}
            for target in targets:
                if target not in have:
                    splits.append(self._written(store, target))
            self._save(store, doc)
        return f"split {', '.join(repr(t) for t in targets)} from {ent.name}"

    def rename(self, name: str, new_name: str) -> str:
        """Show an entity under another name (an empty name goes back to the default)."""
        new_name = " ".join(new_name.split())
        with self._store() as store:
            ent = self._one(store, name)
            root = _root(ent)
            doc = self._load()
            _remove(doc, "rename", lambda k: normal_form(k) == root)
            if new_name:
                doc.setdefault("rename", tomlkit.table())[self._written(store, root)] = new_name
            self._save(store, doc)
        return f"renamed {ent.name} [{ent.key}] to {new_name or 'its default name'}"

    def hide(self, name: str) -> str:
        """Hide an entity everywhere (a false positive)."""
        with self._store() as store:
            ent = self._one(store, name)
            if ent.hidden:
                return f"{ent.name} [{ent.key}] is already hidden"
            doc = self._load()
            doc.setdefault("hide", tomlkit.array()).append(self._written(store, _root(ent)))
            self._save(store, doc)
        return f"hid {ent.name} [{ent.key}]"

    def unhide(self, name: str) -> str:
        """Show a hidden entity again."""
        with self._store() as store:
            ent = self._one(store, name)
            root = _root(ent)
            curation = applied_curation(store.conn)
            doc = self._load()
            _remove(doc, "hide", lambda v: curation.root(normal_form(v)) == root)
            self._save(store, doc)
        return f"showing {ent.name} [{ent.key}] again"

    def restore(self, text: str | None) -> None:
        """Put back a :meth:`snapshot` and apply it (the reader's undo)."""
        with self._store() as store:
            if text is None:
                self.paths.aliases.unlink(missing_ok=True)
            else:
                atomic_write(self.paths.aliases, text, what="the curation file")
            boundary()
            self._apply(store)
            boundary()

    # -- helpers -----------------------------------------------------------------------------
    def _store(self) -> _Locked:
        """The write lock and a store with the file as it is now applied."""
        return _Locked(self.paths, self._apply)

    def _one(self, store: Store, value: str) -> Entity:
        return pick_entity(store.entities.find_entities(value, None, include_hidden=True), value)

    def _written(self, store: Store, norm: str) -> str:
        row = store.conn.execute(
            "SELECT display FROM names WHERE space = '' AND norm = ?", (norm,)
        ).fetchone()
        return row[0] if row else norm

    def _load(self) -> tomlkit.TOMLDocument:
        text = self.snapshot()
        if text is None:
            return tomlkit.parse(_HEADER)
        try:
            parse_curation(text)
            return tomlkit.parse(text)
        except Exception as err:  # noqa: BLE001 - tomlkit and our own checks
            raise LibraryError(f"{self.paths.aliases}: {err}; fix it by hand first") from err

    def _save(self, store: Store, doc: tomlkit.TOMLDocument) -> None:
        # The file is the truth: a kill before the store has it is made good at
        # the next open, which applies the file again.
        atomic_write(self.paths.aliases, tomlkit.dumps(doc), what="the curation file")
        boundary()
        self._apply(store)
        boundary()

    def _apply(self, store: Store) -> None:
        _report, error = sync_curation(store, self.paths.aliases)
        if error:
            raise LibraryError(error)


class _Locked:
    """The library's write lock plus a writable store, as one context manager."""

    def __init__(self, paths: LibraryPaths, prepare) -> None:
        self.lock = WriteLock(paths, wait=True)
        self.paths = paths
        self.prepare = prepare
        self.store: Store | None = None

    def __enter__(self) -> Store:
        self.lock.__enter__()
        try:
            self.store = Store(self.paths.store)
            self.prepare(self.store)
        except BaseException:
            if self.store is not None:
                self.store.close()
            self.lock.__exit__(None, None, None)
            raise
        return self.store

    def __exit__(self, *exc: object) -> None:
        try:
            if self.store is not None:
                self.store.close()
        finally:
            self.lock.__exit__(*exc)


def _root(ent: Entity) -> str:
    return ent.key.partition(":")[2]


def _names_of(store: Store, ent: Entity) -> list[str]:
    ent_id = store.entities.entity_id(ent.key)
    rows = store.conn.execute("SELECT norm FROM names WHERE entity = ?", (ent_id,))
    return [r[0] for r in rows]


def _remove(doc: tomlkit.TOMLDocument, section: str, match) -> None:
    value = doc.get(section)
    if value is None:
        return
    if isinstance(value, dict):
        for key in [k for k in value if match(str(k))]:
            del value[key]
    else:
        keep = [v for v in value if not match(str(v))]
        value.clear()
        value.extend(keep)
