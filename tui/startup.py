"""The ``newsdesk`` console script's entry: the collector held, the readahead started.

:func:`main` holds the cyclic garbage collector off for start-up (see
:mod:`tui.launch`) and, when the arguments open the reader, first starts the
readahead of the module files the previous launch loaded (:mod:`tui.readahead`).
"""

from __future__ import annotations

import sys

from tui.launch import hold

__all__ = ["main", "opens_reader"]


def main() -> int:
    """Run ``newsdesk`` with the collector held off during start-up.

    Returns:
        The exit code.
    """
    hold()
    if opens_reader(sys.argv[1:]):
        from tui import readahead

        readahead.start()  # before the imports it is meant to speed up
    from tui.cli.main import main as cli_main

    return cli_main()


def opens_reader(argv: list[str]) -> bool:
    """Whether these arguments open the reader (no subcommand), judged before argparse loads.

    Args:
        argv: The arguments after the program name.

    Returns:
        False when a subcommand is named; options other than ``--library`` and
        ``--config`` (such as ``--help``) count as the reader: a wrong guess
        only costs a readahead.
    """
    takes_value = False
    for arg in argv:
        if takes_value:
            takes_value = False
        elif arg in ("--library", "--config"):
            takes_value = True
        elif not arg.startswith("-"):
            return False
    return True
