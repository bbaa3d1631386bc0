"""The weekly report's PNG: accuracy by day and by category, Japanese labels in a real CJK font.

matplotlib is imported only when a chart is drawn, so the bot starts without paying for it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path


def _font_path() -> Path:
    import matplotlib_fontja

    return Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"


def accuracy_chart(
    title: str,
    by_day: Sequence[tuple[str, float]],
    by_category: Sequence[tuple[str, float]],
    day_label: str,
    category_label: str,
) -> bytes:
    """Two bar charts side by side; accuracies are 0..1. Returns PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")  # no display here or on servers
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font = font_manager.FontProperties(fname=str(_font_path()))
    figure, (days, categories) = plt.subplots(1, 2, figsize=(10, 4), dpi=100)
    figure.suptitle(title, fontproperties=font, fontsize=14)
    for axis, rows, label, color in (
        (days, by_day, day_label, "#4C78A8"),
        (categories, by_category, category_label, "#F58518"),
    ):
        names = [name for name, _ in rows] or ["-"]
        values = [value * 100 for _, value in rows] or [0]
        axis.bar(range(len(names)), values, color=color)
        axis.set_xticks(range(len(names)))
        axis.set_xticklabels(names, fontproperties=font, rotation=30, ha="right", fontsize=8)
        axis.set_ylim(0, 100)
        axis.set_ylabel("%", fontproperties=font)
        axis.set_title(label, fontproperties=font)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def mastery_chart(title: str, rows: Sequence[tuple[str, float]], target: float, target_label: str) -> bytes:
    """One horizontal bar per exam domain (mastery 0..1) with a line at `target`. Returns PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font = font_manager.FontProperties(fname=str(_font_path()))
    figure, axis = plt.subplots(figsize=(8, 0.6 * max(len(rows), 1) + 1.4), dpi=100)
    names = [name for name, _ in rows] or ["-"]
    values = [value * 100 for _, value in rows] or [0]
    colors = ["#54A24B" if value >= target * 100 else "#E45756" for value in values]
    positions = list(range(len(names)))[::-1]  # the first domain on top
    axis.barh(positions, values, color=colors)
    axis.set_yticks(positions)
    axis.set_yticklabels(names, fontproperties=font, fontsize=9)
    axis.set_xlim(0, 100)
    axis.set_xlabel("%", fontproperties=font)
    axis.axvline(target * 100, color="#333333", linestyle="--", linewidth=1)
    axis.text(
        target * 100, len(names) - 0.4, f" {target_label}", fontproperties=font, fontsize=8, va="bottom"
    )
    for position, value in zip(positions, values, strict=True):
        axis.text(min(value + 1, 92), position, f"{value:.0f}%", va="center", fontsize=8)
    axis.set_title(title, fontproperties=font, fontsize=12)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()
