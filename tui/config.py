"""The reader's user configuration, read from a TOML file.

The file is looked up in ``$NEWSDESK_CONFIG`` if set, else in
``platformdirs.user_config_dir("newsdesk")/config.toml``. Example::

    theme = "textual-light"
    show_dates_and_numbers = true

    [keys]
    "article.next_entity" = "n,ctrl+n"
    "search.focus" = "s"

A missing file gives the defaults. A file that cannot be read or parsed, an
option of the wrong type, an unknown option: each becomes a one-line problem
in :attr:`Config.problems` (shown as a notice by the app) and the defaults are
used for what was wrong. Loading never raises.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CONFIG_ENV", "Config", "default_config_path", "load_config"]

#: The environment variable that names the config file.
CONFIG_ENV = "NEWSDESK_CONFIG"

_BOOL_OPTIONS = ("show_dates_and_numbers",)
_STR_OPTIONS = ("theme",)


@dataclass
class Config:
    """The reader's settings.

    Attributes:
        keys: Binding id to a comma-separated list of keys, applied with
            ``App.set_keymap`` (e.g. ``{"search.focus": "s"}``).
        show_dates_and_numbers: Also highlight dates, times, money, numbers
            (spaCy's non-named kinds) in articles.
        theme: The Textual theme name, or None for the default.
        path: The file the settings came from, or None.
        problems: One-line descriptions of what was wrong in the file.
    """

    keys: dict[str, str] = field(default_factory=dict)
    show_dates_and_numbers: bool = False
    theme: str | None = None
    path: Path | None = None
    problems: list[str] = field(default_factory=list)


def default_config_path() -> Path:
    """Return where the config file is looked for.

    Returns:
        ``$NEWSDESK_CONFIG`` if set, else the platform's user config location.
    """
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("newsdesk")) / "config.toml"


def _one_line(text: str) -> str:
    """Collapse an error message to a single line.

    Args:
        text: Any message.

    Returns:
        The message with runs of whitespace folded to single spaces.
    """
    return " ".join(str(text).split())


def _parse_keys(table: object, config: Config, where: str) -> None:
    """Read the ``[keys]`` table into ``config.keys``.

    Args:
        table: The value found under ``keys``.
        config: The config to fill.
        where: The file name, for messages.
    """
    if not isinstance(table, dict):
        config.problems.append(f'{where}: [keys] must be a table of binding id = "keys"')
        return
    for binding_id, value in table.items():
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            value = ",".join(value)
        if not isinstance(value, str):
            config.problems.append(f'{where}: keys.{binding_id} must be a string like "j,down"')
            continue
        keys = [key.strip() for key in value.split(",") if key.strip()]
        if not keys:
            config.problems.append(f"{where}: keys.{binding_id} is empty")
            continue
        config.keys[str(binding_id)] = ",".join(keys)


def load_config(path: str | Path | None = None) -> Config:
    """Load the config file, falling back to defaults for anything wrong.

    Args:
        path: The file to read; None to use :func:`default_config_path`.

    Returns:
        The settings, with any problems listed in ``problems``. Never raises.
    """
    config = Config()
    try:
        file = Path(path).expanduser() if path is not None else default_config_path()
    except Exception as error:  # noqa: BLE001 - a bad path must not stop the reader
        config.problems.append(f"config: {_one_line(str(error))}")
        return config
    where = str(file)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        if path is not None or os.environ.get(CONFIG_ENV):
            config.problems.append(f"{where}: no such config file; using defaults")
        return config
    except OSError as error:
        config.problems.append(f"{where}: cannot read ({_one_line(error.strerror or '')})")
        return config
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        config.problems.append(f"{where}: not UTF-8 text; using defaults")
        return config
    except tomllib.TOMLDecodeError as error:
        config.problems.append(f"{where}: invalid TOML ({_one_line(str(error))}); using defaults")
        return config
    config.path = file
    for name, value in data.items():
        if name == "keys":
            _parse_keys(value, config, where)
        elif name in _BOOL_OPTIONS:
            if isinstance(value, bool):
                setattr(config, name, value)
            else:
                config.problems.append(f"{where}: {name} must be true or false")
        elif name in _STR_OPTIONS:
            if isinstance(value, str) and value:
                setattr(config, name, value)
            else:
                config.problems.append(f"{where}: {name} must be a non-empty string")
        else:
            config.problems.append(f"{where}: unknown option {name!r} ignored")
    return config
