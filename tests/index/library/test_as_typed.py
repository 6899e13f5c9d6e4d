"""The query the search box runs while the user is still typing."""

from __future__ import annotations

import pytest

from index.library.as_typed import as_typed


@pytest.mark.parametrize(
    ("text", "searched"),
    [
        ("osa", "(osa OR osa*)"),
        ("blinken osa", "blinken (osa OR osa*)"),
        ("wang yi", "wang (yi OR yi*)"),
        ("osa ", "osa "),  # a space: the word is finished
        ("o", "o"),  # a prefix needs two letters
        ('"white hou', '"white hou'),  # inside a phrase
        ("person:osa", "person:osa"),  # a field's value
        ("osa*", "osa*"),
        ("blinken OR", "blinken OR"),
        ("", ""),
    ],
)
def test_the_last_word_is_also_a_prefix_while_typing(text: str, searched: str) -> None:
    assert as_typed(text) == searched
