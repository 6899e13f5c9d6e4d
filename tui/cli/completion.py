"""``newsdesk completion SHELL``: shell completion generated from the argument parser.

Bash and zsh come from ``shtab``; fish, which ``shtab`` does not write, from
the same parser here: one ``complete`` line per subcommand and option.
"""

from __future__ import annotations

import argparse

__all__ = ["SHELLS", "add_completion_parser", "completion_script"]

SHELLS = ("bash", "zsh", "fish")


def add_completion_parser(sub) -> None:
    """Add the ``completion`` subcommand to the subparsers ``sub``."""
    parser = sub.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh, fish)",
        description=(
            'Print a completion script. bash: eval "$(newsdesk completion bash)" in ~/.bashrc;'
            " zsh: newsdesk completion zsh > a file named _newsdesk on $fpath;"
            " fish: newsdesk completion fish > ~/.config/fish/completions/newsdesk.fish"
        ),
    )
    parser.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script of ``parser`` for ``shell``."""
    if shell == "fish":
        return _fish(parser)
    import shtab

    return shtab.complete(parser, shell=shell)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, tuple[argparse.ArgumentParser, str]]:
    """Each subcommand of a parser: its parser and its help."""
    found: dict[str, tuple[argparse.ArgumentParser, str]] = {}
    for action in parser._actions:  # noqa: SLF001 - argparse keeps no public list
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}  # noqa: SLF001
            for name, sub in action.choices.items():
                found[name] = (sub, helps.get(name, ""))
    return found


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _options(prog: str, condition: str, parser: argparse.ArgumentParser) -> list[str]:
    lines = []
    for action in parser._actions:  # noqa: SLF001
        if not action.option_strings or action.help == argparse.SUPPRESS:
            continue
        parts = [f"complete -c {prog}", f"-n {_quote(condition)}"]
        for option in action.option_strings:
            if option.startswith("--"):
                parts.append(f"-l {option[2:]}")
            else:
                parts.append(f"-s {option[1:]}")
        if action.nargs != 0:
            parts.append("-r")
            if action.choices:
                parts.append(f"-a {_quote(' '.join(map(str, action.choices)))}")
        if action.help:
            parts.append(f"-d {_quote(action.help)}")
        lines.append(" ".join(parts))
    return lines


def _fish(parser: argparse.ArgumentParser) -> str:
    prog = parser.prog
    commands = _subparsers(parser)
    names = " ".join(commands)
    lines = [f"# fish completion for {prog}, generated from its parser", f"complete -c {prog} -f"]
    top = f"not __fish_seen_subcommand_from {names}"
    lines += _options(prog, top, parser)
    for name, (sub, help_text) in commands.items():
        lines.append(f"complete -c {prog} -n {_quote(top)} -a {name} -d {_quote(help_text)}")
        seen = f"__fish_seen_subcommand_from {name}"
        lines += _options(prog, seen, sub)
        nested = _subparsers(sub)
        for op, (op_parser, op_help) in nested.items():
            first = f"{seen}; and not __fish_seen_subcommand_from {' '.join(nested)}"
            lines.append(f"complete -c {prog} -n {_quote(first)} -a {op} -d {_quote(op_help)}")
            lines += _options(prog, f"{seen}; and __fish_seen_subcommand_from {op}", op_parser)
        if any(a.dest in ("paths",) for a in sub._actions):  # noqa: SLF001
            lines.append(f"complete -c {prog} -n {_quote(seen)} -F")
    return "\n".join(lines) + "\n"
