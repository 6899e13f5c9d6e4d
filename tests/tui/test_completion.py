"""``newsdesk completion SHELL``: scripts generated from the parser, tried in a real bash."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli.main import build_parser

BIN = Path(sys.executable).with_name("newsdesk")


def script(shell: str) -> str:
    done = subprocess.run([str(BIN), "completion", shell], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _bash_complete(words: list[str]) -> list[str]:
    line = " ".join(words)
    program = (
        f"source <({BIN} completion bash)\n"
        f"COMP_WORDS=({' '.join(words)}); COMP_CWORD={len(words) - 1}\n"
        f'COMP_LINE="{line}"; COMP_POINT=${{#COMP_LINE}}\n'
        '_shtab_newsdesk; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    bash = shutil.which("bash")
    assert bash is not None
    done = subprocess.run([bash, "-c", program], capture_output=True, text=True, timeout=60)
    return done.stdout.split()


def test_bash_completes_subcommands_options_and_alias_operations() -> None:
    assert _bash_complete(["newsdesk", "sea"]) == ["search"]
    assert set(_bash_complete(["newsdesk", "search", "--li"])) == {"--library", "--limit"}
    assert _bash_complete(["newsdesk", "alias", "me"]) == ["merge"]
    assert set(_bash_complete(["newsdesk", "completion", ""])) == {"bash", "zsh", "fish"}


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_every_subcommand_and_option_is_in_the_script(shell: str) -> None:
    text = script(shell)
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]  # noqa: SLF001
    for name, sub in commands.choices.items():
        assert name in text
        for action in sub._actions:  # noqa: SLF001
            for option in action.option_strings:
                if option.startswith("--"):
                    assert (option if shell == "zsh" else f"-l {option[2:]}") in text, option


def test_an_unknown_shell_is_a_usage_error() -> None:
    done = subprocess.run([str(BIN), "completion", "tcsh2"], capture_output=True, text=True)
    assert done.returncode == 2 and "invalid choice" in done.stderr
