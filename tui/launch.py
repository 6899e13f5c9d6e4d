"""Start-up without the cyclic garbage collector, and its release once the reader is up.

Starting the reader allocates about 60,000 objects that live as long as the
process (Textual's modules and parsed CSS, the widget tree) and very little
garbage (about 2,000 objects by the first frame). With the collector on,
start-up spends a large share of the launch in collections, one of them a
full pass just before the first frame.

So the console script (:mod:`tui.startup`) holds the collector off. The reader releases it once its
first frame is on screen (:func:`release`, called by the reader screen); every
other command releases it before it runs. Releasing freezes what start-up
allocated (:func:`gc.freeze`): later collections skip those objects, so the
reader's pauses for garbage collection stay short, at the price of keeping the
start-up garbage for the life of the process. The search warm-up that follows
the first frame imports Whoosh and numpy (about 20,000 more long-lived
objects, which make each full collection a noticeable pause in the middle
of typing): once it is done, :func:`settle` freezes those too. Code
that imports :mod:`tui.cli.main` or the app directly (tests, embedding) never holds
the collector, and :func:`release` and :func:`settle` do nothing for it.
"""

from __future__ import annotations

import gc

__all__ = ["first_frame_drawn", "hold", "release", "settle"]

_held = False
#: Whether :func:`hold` took the collector for this process (the console script did).
_managed = False


def hold() -> None:
    """Turn the cyclic garbage collector off until :func:`release` (if it is on)."""
    global _held, _managed
    if gc.isenabled():
        gc.disable()
        _held = _managed = True


def release() -> None:
    """Freeze the objects allocated so far and turn the collector back on.

    Does nothing unless :func:`hold` turned it off, and nothing the second time.
    """
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def first_frame_drawn() -> None:
    """The reader's first frame is on screen: :func:`release`, and note what it loaded.

    The modules loaded by then are what the next launch reads ahead
    (:func:`tui.readahead.first_frame`), for a process the console script started.
    """
    release()
    if _managed:
        from tui import readahead

        readahead.first_frame()


def settle() -> None:
    """Freeze what the reader loaded since :func:`release` (the search warm-up's modules).

    Also writes the list of loaded module files that the next launch reads
    ahead (:mod:`tui.readahead`). Does nothing unless :func:`hold` took the
    collector for this process. Frozen objects are still freed when nothing
    refers to them; only cycles among them stay.
    """
    if _managed and not _held:
        gc.freeze()
        from tui import readahead

        try:
            readahead.remember()  # for the next launch's readahead
        except Exception:  # noqa: BLE001 - a missing list costs the next launch time, no more
            pass
