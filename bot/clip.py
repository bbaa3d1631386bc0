"""Shortening text to a limit, the one way every reply and adapter does it."""

from __future__ import annotations


def clip(text: str, limit: int) -> str:
    """`text` if it fits, else its first `limit - 1` characters and '…' (so a reader sees the cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
