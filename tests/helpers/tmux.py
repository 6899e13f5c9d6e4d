"""The real ``newsdesk`` binary in a detached tmux session, driven and read as a person would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

TMUX = shutil.which("tmux")
NEWSDESK = Path(sys.executable).parent / "newsdesk"


class Tmux:
    """One detached tmux session on a private server socket."""

    def __init__(self, tmp_path: Path) -> None:
        self.socket = f"newsdesk-test-{uuid.uuid4().hex[:8]}"
        self.session = "reader"
        self.tmp_path = tmp_path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [TMUX, "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=30,
        )

    def start(
        self, command: list[str], env: dict[str, str], size: tuple[int, int] = (100, 30)
    ) -> None:
        """Start ``command`` with only ``env``; the pane shows READER-EXITED-<status> after it."""
        exports = " ".join(f"{key}={value!r}" for key, value in env.items())
        line = f"env -i {exports} {' '.join(command)}; echo READER-EXITED-$?; sleep 600"
        width, height = size
        self.run("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), line)

    def resize(self, width: int, height: int) -> None:
        self.run("resize-window", "-t", self.session, "-x", str(width), "-y", str(height))

    def send(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def screen(self, escapes: bool = False, history: bool = False) -> str:
        """What the pane shows (with its scrolled-off lines too, given ``history``)."""
        args = ["capture-pane", "-p", "-t", self.session] + (["-e"] if escapes else [])
        return self.run(*args, *(["-S", "-"] if history else [])).stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            try:
                shown = self.screen()
            except subprocess.CalledProcessError as err:
                raise AssertionError(
                    f"{text!r} never appeared; tmux: {err.stderr.strip()};"
                    f" the last screen was:\n{shown}"
                ) from err
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{shown}")

    def kill(self) -> None:
        self.run("kill-server", check=False)


def reader_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "TEXTUAL_ANIMATIONS": "none",
    }
    if "PYTHONPATH" in os.environ:  # a checkout run without installing it
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    env.update(extra)
    return env
