"""Seeded random key storms, for the reader in-process (Textual key names) and in tmux."""

from __future__ import annotations

import random

#: The keys of a storm (Textual's names), weighted: every binding of the reader,
#: the keys that open and close screens, and printable characters an input takes.
KEYS: list[tuple[str, int]] = [
    *((key, 3) for key in ("escape", "enter", "tab", "shift+tab", "down", "up", "j", "k")),
    *((key, 2) for key in ("left", "right", "pageup", "pagedown", "home", "end", "backspace")),
    *((key, 2) for key in ("ctrl+o", "ctrl+d", "ctrl+u", "ctrl+p", "ctrl+z", "slash")),
    *((key, 2) for key in ("question_mark", "E", "F", "M", "H", "R", "u", "e", "f", "o", "p")),
    *((key, 1) for key in ("n", "N", "right_square_bracket", "g", "G", "b", "i", "s", "t", "T")),
    *((key, 1) for key in ("x", "q", "ctrl+q", "ctrl+c", "alt+left", "space", "delete")),
    *((key, 1) for key in ("a", "c", "h", "l", "m", "r", "w", "y", "z", "1", "colon")),
    *((key, 1) for key in ("quotation_mark", "asterisk", "minus", "ctrl+a", "ctrl+e")),
]

#: The keys that quit the reader from its main screen.
QUITS = frozenset({"q", "ctrl+q", "ctrl+c"})

#: The characters of the named printable keys (the rest are single characters).
CHARACTERS = {
    "space": " ",
    "slash": "/",
    "question_mark": "?",
    "right_square_bracket": "]",
    "colon": ":",
    "quotation_mark": '"',
    "asterisk": "*",
    "minus": "-",
}

#: tmux's names for the keys that are not one character.
_TMUX = {
    "escape": "Escape",
    "enter": "Enter",
    "tab": "Tab",
    "shift+tab": "BTab",
    "down": "Down",
    "up": "Up",
    "left": "Left",
    "right": "Right",
    "pageup": "PPage",
    "pagedown": "NPage",
    "home": "Home",
    "end": "End",
    "backspace": "BSpace",
    "delete": "DC",
    "alt+left": "M-Left",
    "space": "Space",
}


def storm(seed: int, count: int, *, without: frozenset[str] = frozenset()) -> list[list[str]]:
    """The keys of one storm (Textual's names), in bursts of 1 to 12 keys.

    Args:
        seed: The storm's seed: one seed, one storm.
        count: How many keys.
        without: Keys left out.
    """
    rng = random.Random(f"newsdesk-key-storm:{seed}")
    alphabet = [key for key, weight in KEYS if key not in without for _ in range(weight)]
    bursts, left = [], count
    while left > 0:
        size = min(left, rng.randint(1, 12))
        bursts.append([rng.choice(alphabet) for _ in range(size)])
        left -= size
    return bursts


def tmux_key(key: str) -> str:
    """tmux's name for a key of :data:`KEYS` (``ctrl+o`` is ``C-o``)."""
    if key in _TMUX:
        return _TMUX[key]
    if key.startswith("ctrl+"):
        return "C-" + key.removeprefix("ctrl+")
    return CHARACTERS.get(key, key)
