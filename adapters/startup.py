"""The garbage collector during start-up. Starting imports and builds a great many objects that live
as long as the process; collecting them again and again while they are made is wasted work (about a
tenth of `dop-bot run`'s start). The collector is off while a command starts and, once it has, those
objects are frozen out of every later collection (which also keeps the full collections of a running
bot short) and the collector is turned back on."""

from __future__ import annotations

import gc


def starting() -> None:
    gc.disable()


def started() -> None:
    """Call once the long-lived objects exist (the core is built, the adapters are listening)."""
    gc.freeze()
    gc.enable()


def finished() -> None:
    """The command is over: whoever called it (a test calls `main` in its own process) gets the
    collector back, whether or not start-up completed."""
    gc.enable()
