"""What every CLI command shares: exit codes, argument types, the library, hang-ups."""

from __future__ import annotations

import argparse
import signal

from index.layout import resolve_library_path

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "natural",
    "open_library",
    "positive",
    "stop_on_hangup",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _Hangup(KeyboardInterrupt):
    """Raised in the main thread on SIGHUP or SIGTERM so that writers unwind cleanly."""


def _raise_hangup(signum: int, frame: object) -> None:
    raise _Hangup(signal.Signals(signum).name)


def stop_on_hangup() -> None:
    """Turn SIGHUP (a dropped SSH session) and SIGTERM into a clean stop (a KeyboardInterrupt)."""
    for sig in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, _raise_hangup)


def open_library(args: argparse.Namespace):
    """The library ``--library`` names (or the default one), opened for reading.

    A broken ``aliases.toml`` is said in one line on stderr (the library keeps
    the curation it last applied).

    Raises:
        LibraryMissing: Nothing is there; the message says how to create it.
    """
    from index.errors import LibraryMissing
    from index.library.facade import Library
    from tui.cli.output import warn

    root = resolve_library_path(args.library)
    try:
        library = Library.open(root)
    except LibraryMissing as err:
        raise LibraryMissing(f"{err}; create it with 'newsdesk add PATH --library {root}'") from err
    if library.curation_error:  # the answer comes from the curation the store last applied
        warn(library.curation_error)
    return library


def natural(value: str) -> int:
    """An argparse type: a whole number, zero or more."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value!r}")
    return number


def positive(value: str) -> int:
    """An argparse type: a whole number, one or more."""
    number = natural(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value!r}")
    return number
