"""The end-to-end tests drive the real ``newsdesk`` binary in tmux: all of them are e2e and slow."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.tmux import Tmux

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)


@pytest.fixture()
def tmux(tmp_path: Path):
    session = Tmux(tmp_path)
    yield session
    session.kill()
