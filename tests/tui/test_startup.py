"""The console script holds the garbage collector off during start-up, and always releases it."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from tests.helpers.process import fresh


def test_the_console_script_starts_through_tui_startup() -> None:
    scripts = metadata.entry_points(group="console_scripts")
    assert scripts["newsdesk"].value == "tui.startup:main"


def test_the_reader_collects_again_once_its_first_frame_is_drawn(seed_library: Path) -> None:
    out = fresh(f"""
        import asyncio, gc
        from tui import launch
        launch.hold()
        assert not gc.isenabled()
        from tui.app import make_app
        from tui.widgets.results_list import ResultsList

        async def main():
            app = make_app({str(seed_library)!r})
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                assert app.screen.query_one(ResultsList).option_count == 2
                print("enabled", gc.isenabled(), "frozen", gc.get_freeze_count() > 0)
        asyncio.run(main())
    """)
    assert out.strip().splitlines()[-1] == "enabled True frozen True"


def test_what_the_search_warm_up_loads_is_frozen_too(seed_library: Path) -> None:
    out = fresh(f"""
        import asyncio, gc
        from tui import launch
        launch.hold()
        from tui.app import make_app
        from tui.widgets.results_list import ResultsList

        async def main():
            app = make_app({str(seed_library)!r})
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                assert app.screen.query_one(ResultsList).option_count == 2
                after_first_frame = gc.get_freeze_count()
                # The warm-up starts half a second after mounting; wait for its worker
                # to end (it may start and end between two looks).
                for _ in range(2000):
                    await pilot.pause(0.05)
                    warm = [w for w in app.workers if w.group == "warm"]
                    if warm:
                        await warm[0].wait()
                        break
                    if gc.get_freeze_count() > after_first_frame:
                        break
                from whoosh.searching import Searcher
                print("more frozen", gc.get_freeze_count() > after_first_frame,
                      "whoosh still collected", any(o is Searcher for o in gc.get_objects()))
        asyncio.run(main())
    """)
    assert out.strip().splitlines()[-1] == "more frozen True whoosh still collected False"


def test_commands_run_with_the_collector_on(seed_library: Path) -> None:
    out = fresh(f"""
        import gc, io, contextlib
        from tui import launch
        launch.hold()
        from tui.cli.main import main
        seen = []
        import tui.cli.commands
        real = tui.cli.commands.run_command
        def spy(args):
            seen.append(gc.isenabled())
            return real(args)
        import tui.cli.main
        tui.cli.main.run_command = spy
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["search", "minister", "--library", {str(seed_library)!r}, "--json"])
        print("code", code, "enabled during the command", seen)
    """)
    assert out.strip().splitlines()[-1] == "code 0 enabled during the command [True]"


def test_release_does_nothing_unless_held() -> None:
    out = fresh("""
        import gc
        from tui import launch
        launch.release()
        launch.settle()
        print(gc.isenabled(), gc.get_freeze_count())
    """)
    assert out.strip() == "True 0"
