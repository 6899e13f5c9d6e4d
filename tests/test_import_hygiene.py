"""Import hygiene in fresh interpreters: the reader never loads spaCy, index never Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers.process import ROOT, fresh


def test_importing_index_loads_no_textual_or_spacy() -> None:
    out = fresh("""
        import sys
        import index.library.facade, index.ingest.writer, index.search.query
        import index.store.db, index.ingest.sources
        print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'spacy', 'tui')))
    """)
    assert out.strip() == "[]"


def test_importing_tui_and_cli_loads_no_spacy() -> None:
    out = fresh("""
        import sys
        import tui, tui.cli.main, tui.app
        print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))
    """)
    assert out.strip() == "[]"


def test_the_reader_s_first_screen_needs_no_whoosh(seed_library: Path) -> None:
    """Launch speed: the CLI, the app and the newest articles load without Whoosh or numpy.

    Search loads them later, in a worker (or the reader's warm-up after the first screen).
    Nor multiprocessing: only ``add`` needs its process pool.
    """
    out = fresh(f"""
        import sys
        import tui.cli.main, tui.app
        from index.library.facade import Library
        with Library.open({str(seed_library)!r}) as lib:
            assert lib.newest(10).hits
        print(sorted({{m.split('.')[0] for m in sys.modules}}
                     & {{'whoosh', 'numpy', 'spacy', 'multiprocessing'}}))
    """)
    assert out.strip() == "[]"


def test_starting_the_reader_loads_no_spacy(seed_library: Path) -> None:
    out = fresh(f"""
        import asyncio, sys
        from tui.app import make_app

        async def main():
            app = make_app({str(seed_library)!r})
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
        asyncio.run(main())
        print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))
    """)
    assert out.strip().splitlines()[-1] == "[]"


def test_only_whoosh_reloaded_is_installed() -> None:
    from importlib import metadata

    names = {(d.metadata["Name"] or "").lower() for d in metadata.distributions()}
    assert "whoosh-reloaded" in names
    assert "whoosh" not in names, "the original Whoosh must never sit beside Whoosh-Reloaded"


def test_ruff_and_import_contracts_are_clean() -> None:
    bindir = Path(sys.executable).parent
    ruff = subprocess.run(
        [str(bindir / "ruff"), "check", "index", "tui", "tests", "bench"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert ruff.returncode == 0, ruff.stdout[-3000:]
    contracts = subprocess.run(
        [str(bindir / "lint-imports")], capture_output=True, text=True, cwd=ROOT
    )
    assert contracts.returncode == 0, contracts.stdout[-3000:]
