"""The reader's TOML config: loading, problems as notices, remapped keys."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.reader import BLINKEN, move_cursor_to, open_result, screen_text, settle
from tui.app import make_app
from tui.config import Config, default_config_path, load_config
from tui.screens.help_screen import HelpScreen
from tui.widgets.search_bar import SearchBar


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_default_file_gives_defaults(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    config = load_config()
    assert config == Config()
    assert default_config_path() == tmp_path / "newsdesk" / "config.toml"


def test_env_var_names_the_file(tmp_path: Path, monkeypatch) -> None:
    content = 'show_dates_and_numbers = true\n[keys]\n"search.focus" = "s"\n'
    file = write(tmp_path / "c.toml", content)
    monkeypatch.setenv("NEWSDESK_CONFIG", str(file))
    config = load_config()
    assert config.show_dates_and_numbers is True
    assert config.keys == {"search.focus": "s"}
    assert config.problems == [] and config.path == file


def test_keys_are_normalised(tmp_path: Path) -> None:
    file = write(
        tmp_path / "c.toml", '[keys]\n"list.down" = " j , ctrl+n "\n"list.up" = ["k", "up"]\n'
    )
    assert load_config(file).keys == {"list.down": "j,ctrl+n", "list.up": "k,up"}


def test_bad_files_never_raise(tmp_path: Path) -> None:
    cases = {
        "invalid TOML": "this is = = not toml",
        "must be true or false": "show_dates_and_numbers = 3",
        "unknown option": "colour = 'red'",
        "must be a string": "[keys]\n'list.down' = 5",
        "is empty": "[keys]\n'list.down' = ' , '",
        "must be a table": "keys = 'x'",
    }
    for expected, content in cases.items():
        config = load_config(write(tmp_path / "c.toml", content))
        assert len(config.problems) == 1 and expected in config.problems[0], config.problems
        assert "\n" not in config.problems[0]
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00")
    assert "not UTF-8" in load_config(tmp_path / "bin.toml").problems[0]
    assert "no such config file" in load_config(tmp_path / "nope.toml").problems[0]
    assert load_config(tmp_path).problems  # a directory


async def test_bad_config_is_a_notice_not_a_crash(library_copy: Path, tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", 'theme = "no-such-theme"\n[keys]\n"no.such.id" = "x"\n')
    app = make_app(library_copy, config_path=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        messages = " | ".join(n.message for n in app._notifications)
        assert "unknown theme 'no-such-theme'" in messages
        assert "unknown binding id 'no.such.id'" in messages
        assert app.screen.results_pane.status.plain == "1 of 2 articles, newest first"


async def test_remapped_keys_from_the_config_file(
    library_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    file = write(
        tmp_path / "keys.toml",
        '[keys]\n"article.next_entity" = "x"\n"search.focus" = "s"\n"list.down" = "ctrl+n"\n',
    )
    monkeypatch.setenv("NEWSDESK_CONFIG", str(file))
    app = make_app(library_copy)  # reads $NEWSDESK_CONFIG, like the CLI
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not app._notifications
        await pilot.press("ctrl+n")
        assert app.screen.results.highlighted == 1
        await pilot.press("s")
        assert isinstance(app.focused, SearchBar)
        await pilot.press("escape")
        await open_result(pilot, 0)
        body = app.screen.pane.body
        await pilot.press("n")  # not bound once remapped
        assert body.cursor is None
        await pilot.press("x")
        assert body.cursor == 0
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = {row[2]: row[0] for _, rows in app.help_sections() for row in rows}
        assert rows["article.next_entity"] == "x"
        assert rows["search.focus"] == "s"
        assert "x" in screen_text(app)


async def test_show_dates_and_numbers(library_copy: Path) -> None:
    from tests.helpers.reader import reader

    app = reader(library_copy, show_dates_and_numbers=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        labels = {span.label for span in app.screen.pane.body.entities}
        assert "DATE" in labels
        assert "date" in screen_text(app)  # in the legend, in plain words
        await move_cursor_to(pilot, BLINKEN)
