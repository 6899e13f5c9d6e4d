"""Rebuilding a library from the source files it recorded, keeping the user's data."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from index.errors import LibraryError
from index.ingest.intake import ledger_path
from index.ingest.writer import AddObserver, AddReport, add_paths, create_library
from index.layout import LibraryPaths, WriteLock, boundary, check_safe, read_manifest, swap_in
from index.store.db import Store

__all__ = ["rebuild_library", "recorded_sources"]


def recorded_sources(store: Store) -> Iterable[str]:
    """The source files a library recorded (for ``rebuild``)."""
    return sorted(r.path for r in store.file_records())


def rebuild_library(
    root: Path, *, model: str | None = None, observer: AddObserver | None = None
) -> AddReport:
    """Recreate a library from the source files it recorded, keeping the user's data.

    The new library is built beside the old one and swapped in only when it is
    complete; reading state and ``aliases.toml`` are carried over.

    Args:
        root: The library directory.
        model: A spaCy model to switch to (None keeps the recorded one).
        observer: Progress callbacks.

    Returns:
        The report of the re-add.
    """
    import shutil

    paths = LibraryPaths(Path(root))
    check_safe(paths.root)
    old_model = None
    sources: list[str] = []
    state: list[tuple[str, str]] = []
    try:
        old_model = read_manifest(paths).model
    except LibraryError:
        pass
    try:
        store = Store(paths.store)
        try:
            sources = list(recorded_sources(store))
            state = store.conn.execute("SELECT name, value FROM state").fetchall()
        finally:
            store.close()
    except Exception as err:  # noqa: BLE001 - a damaged store
        raise LibraryError(
            f"cannot read the list of sources from {paths.store} ({err}); add them again with"
            " 'newsdesk add'"
        ) from err
    fresh = LibraryPaths(paths.root.with_name(paths.root.name + ".rebuild"))
    for leftover in (fresh.root, paths.root.with_name(paths.root.name + ".old")):
        if leftover.exists():  # an earlier rebuild stopped before its end
            shutil.rmtree(leftover)
    with WriteLock(paths):
        if paths.aliases.exists():
            # The curation is applied while the new library is written.
            from index.enrich.ner import default_model_name

            create_library(fresh, model or old_model or default_model_name())
            shutil.copy2(paths.aliases, fresh.aliases)
        report = add_paths(
            fresh.root,
            [ledger_path(s) for s in sources if ledger_path(s).exists()],
            model=model or old_model,
            observer=observer,
        )
        store = Store(fresh.store)
        try:
            for name, value in state:
                store.set_state(name, value)
        finally:
            store.close()
        boundary()  # the new library complete, the old one still in place
        swap_in(fresh.root, paths.root)
        boundary()
        shutil.rmtree(fresh.root, ignore_errors=True)  # now the old library
    return report
