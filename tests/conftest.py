"""Shared fixtures: real libraries built with the real spaCy model, in temporary directories."""

from __future__ import annotations

import inspect
import shutil
import signal
from pathlib import Path

import pytest
from hypothesis import settings

from index.ingest.writer import add_paths
from index.layout import bundled_seeds

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# The same generated examples every run: a property test that fails does so
# every time, on the example it prints, never one run in ten.
settings.register_profile("newsdesk", derandomize=True, database=None)
settings.load_profile("newsdesk")


def pytest_configure(config: pytest.Config) -> None:
    """Let Ctrl-C reach the programs the tests start, even when the suite runs in the background.

    A shell without job control (a script, ``cmd &``) starts background jobs
    with SIGINT ignored, and every program they start inherits that: such a
    ``newsdesk add`` rightly ignores Ctrl-C, and the tests that interrupt one
    failed. The suite restores Python's default handler, so its children start
    with SIGINT at its default, as a program started from a terminal does.
    """
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Keep every test away from the user's real library and config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("NEWSDESK_LIBRARY", raising=False)
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The bundled seed articles."""
    return bundled_seeds()


@pytest.fixture(scope="session")
def seed_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library built once from the two seed articles (treat as read-only)."""
    root = tmp_path_factory.mktemp("seedlib") / "library"
    report = add_paths(root, [str(bundled_seeds())])
    assert not report.errors, report.errors
    assert report.articles_added == 2
    return root


@pytest.fixture()
def library_copy(seed_library: Path, tmp_path: Path) -> Path:
    """A private copy of the seed library that a test may change."""
    target = tmp_path / "library"
    shutil.copytree(seed_library, target)
    target.chmod(0o700)
    return target


@pytest.fixture()
def snap_compare(snap_compare):
    """The snapshot fixture, with the text cursors held still for the screenshot.

    A focused input's cursor blinks (on, off, every half second): a screenshot
    taken under load could catch it in either phase. Once ``run_before`` is
    done, blinking stops in every input of every screen, which leaves the
    cursor shown, as the stored snapshots have it. The reader itself is
    unchanged: its cursors blink.
    """
    from textual.widgets import Input, TextArea

    def compare(app, *args, run_before=None, **kwargs):
        async def before(pilot) -> None:
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            for screen in pilot.app.screen_stack:
                for widget in [*screen.query(Input), *screen.query(TextArea)]:
                    widget.cursor_blink = False
            await pilot.pause()

        return snap_compare(app, *args, run_before=before, **kwargs)

    return compare
