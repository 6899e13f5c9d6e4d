"""Query values that do not parse are query errors; only real damage says "damaged"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.errors import LibraryDamaged, QueryError, UnexpectedError
from index.library.facade import Library

BIN = Path(sys.executable).with_name("newsdesk")


@pytest.mark.parametrize(
    "text",
    ['date:"two"', 'date:"44"', 'date:" "', 'date:"a b"~-1', "date:notadate", "date:", "x date:13"],
)
def test_a_date_that_does_not_parse_is_a_query_error_naming_it(seed_library: Path, text) -> None:
    with Library.open(seed_library) as lib, pytest.raises(QueryError) as caught:
        lib.search(text)
    message = str(caught.value)
    assert "is not a date" in message and "damaged" not in message
    value = text.split("date:", 1)[1]
    assert f"date:{value}" in message


@pytest.mark.parametrize(
    "text", ["date:2023", "date:2023-05", "date:2023-05-18", "date:[2021 TO 2024]", "date:>2022"]
)
def test_dates_that_parse_still_match(seed_library: Path, text: str) -> None:
    with Library.open(seed_library) as lib:
        assert lib.search(text).total == 1


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("*", "matches every article"),
        ("?", "at least 2 letters"),
        ("b*n", "at least 2 letters"),
        ("*nken", "at least 2 letters"),
        ("title:[a TO z]", "ranges work on date: only"),
        ('[a TO z] "told stiather" stivziat *', "ranges work on date: only"),
        ("blinkn~2", "one edit"),
    ],
)
def test_open_ended_patterns_are_refused_with_a_reason(seed_library: Path, text, says) -> None:
    with Library.open(seed_library) as lib, pytest.raises(QueryError, match=says):
        lib.search(text)


def test_bounded_patterns_still_expand(seed_library: Path) -> None:
    with Library.open(seed_library) as lib:
        assert lib.search("bl?nken").total == 2
        assert lib.search("blink*").total == 2
        assert lib.search("blinkn~").total == 2


def test_an_unexpected_error_on_a_healthy_index_is_not_damage(seed_library, monkeypatch) -> None:
    import index.search.service as service

    def broken(*args, **kwargs):
        raise ValueError("a bug in ranking")

    monkeypatch.setattr(service, "rank", broken)
    with Library.open(seed_library) as lib, pytest.raises(UnexpectedError) as caught:
        lib.search("blinken")
    assert "damaged" not in str(caught.value)
    assert "ValueError: a bug in ranking" in str(caught.value)


def test_a_damaged_segment_is_still_damage(library_copy: Path) -> None:
    segments = [p for p in (library_copy / "index").iterdir() if p.suffix == ".seg"]
    assert segments
    for seg in segments:
        seg.write_bytes(b"\0" * 64)
    with pytest.raises(LibraryDamaged):
        with Library.open(library_copy) as lib:
            lib.search("blinken")


def test_the_cli_writes_an_unexpected_error_s_traceback_to_a_file(
    seed_library: Path, tmp_path: Path
) -> None:
    code = (
        "import sys, index.search.service as s\n"
        "def broken(*a, **k): raise ValueError('a bug in ranking')\n"
        "s.rank = broken\n"
        "from tui.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    run = subprocess.run(
        [sys.executable, "-c", code, "search", "blinken", "--library", str(seed_library)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "failed unexpectedly" in lines[0] and "damaged" not in lines[0]
    logs = list((tmp_path / "state" / "newsdesk" / "crashes").glob("newsdesk-*.log"))
    assert len(logs) == 1 and str(logs[0]) in lines[0]
    assert "Traceback" in logs[0].read_text() and "a bug in ranking" in logs[0].read_text()


# -- every query of the grammar answers or says what is wrong, never "damaged" --------------

_WORDS = st.sampled_from(
    ["blinken", "china", "us", "the", "wang", "yi", "two", "44", "a", "zzzz", "Blinken", "é", ""]
)
_FIELDS = st.sampled_from(
    ["", "title:", "body:", "source:", "author:", "url:", "date:", "entity:", "person:"]
    + ["org:", "place:", "with:"]
)
_VALUES = st.one_of(
    _WORDS,
    _WORDS.map(lambda w: f'"{w} china"'),
    _WORDS.map(lambda w: f"{w}*"),
    _WORDS.map(lambda w: f"{w}~"),
    _WORDS.map(lambda w: f"?{w}"),
    st.sampled_from(["2023", "2023-05", "[2021 TO 2024]", "[a TO z]", ">2022", "*", "?", "~-1"]),
    st.sampled_from(["2023-13-45", "[TO]", '"a b"~-1', '" "', "[2021 TO", "<=x"]),
)
_CLAUSE = st.tuples(st.sampled_from(["", "NOT ", "("]), _FIELDS, _VALUES).map("".join)
_QUERY = st.lists(_CLAUSE, min_size=1, max_size=5).map(
    lambda parts: " ".join(parts) + ")" * sum(p.count("(") for p in parts)
)
_OPS = st.sampled_from([" ", " OR ", " AND "])


#: Queries generated from the whole grammar, fields and values included.
QUERY_EXAMPLES = 300


@settings(
    max_examples=QUERY_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=_QUERY, op=_OPS, second=_QUERY)
def test_no_query_of_the_grammar_reports_damage(seed_library: Path, first, op, second) -> None:
    text = first + op + second
    with Library.open(seed_library) as lib:
        try:
            page = lib.search(text, limit=5)
            lib.facets(text)
        except QueryError:
            return
        assert page.total >= len(page.hits)


def test_a_clause_of_another_kind_says_which_kind_has_the_name(seed_library: Path) -> None:
    with Library.open(seed_library) as lib:
        with pytest.raises(QueryError, match=r'no place is named .* is: search person:"blinken"'):
            lib.search("talks place:blinken")
        with pytest.raises(QueryError, match=r"no organisation is named 'antony blinken'"):
            lib.search('org:"antony blinken"')
        assert lib.search("person:zzzz").total == 0  # no entity of any kind: just nothing


def test_a_clause_naming_a_hidden_entity_says_so_and_how_to_show_it(library_copy: Path) -> None:
    from index.library.curator import Curator

    Curator(library_copy).hide("Antony Blinken")
    with Library.open(library_copy) as lib:
        for text in ['person:"antony blinken"', "entity:blinken", "talks with:blinken"]:
            with pytest.raises(QueryError, match=r'is hidden; .*alias unhide "Antony Blinken"'):
                lib.search(text)
