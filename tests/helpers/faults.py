"""The fault table of ``docs/reliability.md``, counted from the fault tests themselves.

Each row names a fault the suite injects and the tests that inject it; its
cases are counted from those tests: their parametrized cases, times the
cases each runs (the boundaries it kills, the keys it sends, the queries it
generates), read from the constants the tests themselves loop over. Every
case asserts that nothing crashed and nothing was lost, so with the suite
green both columns are 0. ``tests/test_reliability_doc.py`` checks that the
document shows this table; ``python -m tests.helpers.faults`` prints it.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Fault", "faults", "table"]


@dataclass(frozen=True, slots=True)
class Fault:
    """One row: a fault, how many cases of it the suite tries, and where."""

    fault: str
    cases: int
    unit: str
    tests: tuple[str, ...]


#: The test modules the rows name, by a short name.
MODULES = {
    "crash": "tests.index.ingest.test_crash_safety",
    "kills": "tests.index.ingest.test_kills",
    "disk": "tests.index.ingest.test_full_disk",
    "durable": "tests.index.search.test_durability",
    "storm": "tests.tui.test_key_storm",
    "tmux": "tests.e2e.test_key_storm_tmux",
    "errors": "tests.index.search.test_query_errors",
    "hostile": "tests.index.ingest.test_hostile_add",
    "safety": "tests.tui.test_reader_safety",
    "hot": "tests.index.search.test_hot_postings",
    "entities": "tests.index.entities.test_entities",
    "reader": "tests.tui.test_reader_entities",
    "readahead": "tests.tui.test_readahead",
    "cases": "tests.helpers.hostile",
}


def _test(name: str) -> Callable:
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(MODULES[module]), function)


def _params(name: str) -> int:
    """How many cases pytest makes of one test function (the product of its parametrizations)."""
    marks = getattr(_test(name), "pytestmark", [])
    return math.prod(len(mark.args[1]) for mark in marks if mark.name == "parametrize")


def _constant(module: str, name: str):
    return getattr(importlib.import_module(MODULES[module]), name)


def _row(fault: str, unit: str, tests: dict[str, int]) -> Fault:
    """A row whose cases are, for each test, its parametrized cases times what each runs."""
    cases = sum(_params(test) * each for test, each in tests.items())
    return Fault(fault, cases, unit, tuple(name.partition(":")[2] for name in tests))


_USER_WRITES = "test_curation_rebuild_and_state_on_a_full_disk_are_one_line_and_lose_nothing"


def faults() -> list[Fault]:
    """Every fault the suite injects, counted from the tests now."""
    c = _constant
    return [
        _row(
            "hostile input files (encodings, binary, huge, malformed JSON and feeds, bombs)",
            "files",
            {"hostile:test_hostile_inputs_never_cost_an_article": len(c("cases", "CASES"))},
        ),
        _row(
            "SIGKILL at each commit boundary of `add`",
            "kills",
            {
                "crash:test_kill_at_every_commit_boundary_converges": c("crash", "BOUNDARIES"),
                "crash:test_kill_between_the_parts_of_one_large_file_converges": c(
                    "crash", "BOUNDARIES"
                ),
                "crash:test_kill_while_replacing_a_changed_file_converges": len(
                    c("crash", "REPLACING_KILLS")
                ),
            },
        ),
        _row(
            "SIGHUP, SIGINT, SIGTERM during `add` (main thread and NER threads)",
            "signals",
            {
                "crash:test_hangup_or_ctrl_c_during_add_leaves_a_consistent_library": 1,
                "crash:test_a_signal_taken_by_another_thread_still_waits_for_the_commit_pair": 1,
            },
        ),
        _row(
            "SIGKILL at each commit boundary of `rebuild`, and between the renames of its swap",
            "kills",
            {
                "kills:test_a_rebuild_killed_at_any_boundary_loses_nothing": c(
                    "kills", "REBUILD_BOUNDARIES"
                ),
                "kills:test_a_rebuild_stopped_between_the_renames_of_its_swap_is_finished": 2,
            },
        ),
        _row(
            "SIGKILL at each commit boundary of a curation edit",
            "kills",
            {
                "kills:test_a_curation_edit_killed_at_any_boundary_is_whole_at_the_next_open": c(
                    "kills", "CURATION_BOUNDARIES"
                )
            },
        ),
        _row(
            "SIGKILL at each reading-state write",
            "kills",
            {
                "kills:test_a_state_write_killed_at_any_boundary_keeps_the_last_one_written": c(
                    "kills", "STATE_WRITES"
                )
            },
        ),
        _row(
            "full disk (tmpfs) during `add`, at each fill level",
            "levels",
            {"disk:test_a_full_disk_is_one_line_and_the_next_add_converges": 1},
        ),
        _row(
            "full disk (tmpfs) during a curation edit, `rebuild` and a state write",
            "writes",
            {
                "disk:" + _USER_WRITES: len(c("disk", "USER_WRITES")),
                "durable:test_a_commit_that_fails_with_disk_full_leaves_the_index_writable": 1,
                "safety:test_a_state_that_cannot_be_saved_is_said_once_and_at_the_exit": 1,
            },
        ),
        _row(
            "damaged files (TOC, segments, hot postings, aliases.toml, reading state, caches)",
            "files",
            {
                "durable:test_damaged_toc_is_one_typed_error": 1,
                "durable:test_damaged_segment_is_a_library_error_not_a_crash": 1,
                "errors:test_a_damaged_segment_is_still_damage": 1,
                "hot:test_a_damaged_hot_file_is_ignored": 1,
                "entities:test_a_broken_alias_file_is_one_line_and_keeps_the_last_curation": 1,
                "reader:test_a_broken_aliases_file_is_reported_never_fatal": 1,
                "safety:test_damaged_state_is_ignored": 1,
                "readahead:test_a_missing_or_damaged_list_means_no_readahead": 1,
            },
        ),
        _row(
            "concurrent writers and readers",
            "runs",
            {
                "crash:test_concurrent_adds_and_a_reader_see_no_errors": 1,
                "durable:test_second_writer_fails_fast_with_no_wait": 1,
                "safety:test_closing_the_library_while_another_thread_queries_never_crashes": 1,
            },
        ),
        _row(
            "random key storms in the reader (in-process, at 120x35, 80x24 and 20x5)",
            "keys",
            {
                "storm:test_a_key_storm_leaves_the_reader_running_and_searching": len(
                    c("storm", "SIZES")
                )
                * c("storm", "KEYS_PER_SIZE")
            },
        ),
        _row(
            "random key storms sent by tmux to the real binary",
            "keys",
            {
                "tmux:test_a_tmux_key_storm_leaves_the_reader_running_and_searching": c(
                    "tmux", "KEYS"
                )
            },
        ),
        _row(
            "keys queued behind a closing screen (help, palette, pickers)",
            "bursts",
            {
                "storm:test_keys_queued_behind_a_closing_screen_land_on_the_screen_beneath": len(
                    c("storm", "CLOSERS")
                )
            },
        ),
        _row(
            "query fuzz: generated queries over the whole grammar, odd values, open-ended patterns",
            "queries",
            {
                "errors:test_no_query_of_the_grammar_reports_damage": c("errors", "QUERY_EXAMPLES"),
                "errors:test_a_date_that_does_not_parse_is_a_query_error_naming_it": 1,
                "errors:test_open_ended_patterns_are_refused_with_a_reason": 1,
            },
        ),
    ]


def table() -> str:
    """The fault table as Markdown."""
    lines = [
        "| fault | cases tried | crashes | articles or user data lost | tests |",
        "|---|---:|---:|---:|---|",
    ]
    for row in faults():
        tests = ", ".join(f"`{name}`" for name in row.tests)
        lines.append(f"| {row.fault} | {row.cases:,} {row.unit} | 0 | 0 | {tests} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(), end="")
