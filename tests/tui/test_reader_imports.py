"""The reader package stays light to import and never loads spaCy."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.process import fresh as run_fresh


def fresh(code: str) -> str:
    return run_fresh(code).strip().splitlines()[-1]


def test_importing_tui_loads_no_textual() -> None:
    out = fresh("""
        import sys
        import tui
        print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'spacy', 'whoosh')
                     or m.startswith('tui.')))
    """)
    assert out == "[]"


def test_reader_start_and_an_article_load_no_spacy(seed_library: Path, tmp_path: Path) -> None:
    import shutil

    library = tmp_path / "lib"
    shutil.copytree(seed_library, library)
    out = fresh(f"""
        import asyncio, sys
        from tests.helpers.reader import open_result, reader, settle

        async def main():
            app = reader({str(library)!r})
            async with app.run_test(size=(100, 30)) as pilot:
                await settle(pilot)
                await open_result(pilot, 0)
                await pilot.press('n', 'n')
                await settle(pilot)
        asyncio.run(main())
        print(sorted(m for m in sys.modules
                     if m.split('.')[0] in ('spacy', 'thinc') or m == 'index.enrich.ner'))
    """)
    assert out == "[]"
