"""Numbers with units in the notes ('15ヶ月', '300秒', '4KB', '50msec～29sec', '10,000')."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

UNITS = (
    "ヶ月",
    "か月",
    "カ月",
    "時間",
    "msec",
    "sec",
    "Gbps",
    "Mbps",
    "KB",
    "MB",
    "GB",
    "TB",
    "秒",
    "分",
    "日",
    "年",
    "回",
    "倍",
    "つ",
    "個",
    "台",
    "%",
)
_UNIT = "|".join(re.escape(u) for u in UNITS)
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
# A quantity: a number with a unit, a range of them, or a grouped count with no unit (10,000).
QUANTITY = re.compile(
    rf"(?<![A-Za-z0-9_.\-/])(?P<low>{_NUMBER})\s*(?P<low_unit>{_UNIT})?\s*[～~〜-]\s*(?P<high>{_NUMBER})\s*(?P<high_unit>{_UNIT})"
    rf"|(?<![A-Za-z0-9_.\-/:])(?P<value>{_NUMBER})\s*(?P<unit>{_UNIT})(?![A-Za-z])"
    rf"|(?<![A-Za-z0-9_.\-/])(?P<count>\d{{1,3}}(?:,\d{{3}})+)(?![0-9A-Za-z])"
)

# Plausible values per unit, to fill up distractors when the notes offer too few.
LADDERS: dict[str, tuple[float, ...]] = {
    "秒": (1, 5, 10, 30, 60, 120, 180, 300, 600, 900, 1800, 3600),
    "分": (1, 3, 5, 10, 15, 30, 60),
    "時間": (1, 6, 12, 24, 48, 72, 168),
    "日": (1, 7, 14, 30, 60, 90, 180, 365),
    "ヶ月": (1, 3, 6, 12, 15, 18, 24, 36),
    "年": (1, 3, 5, 7, 10),
    "KB": (1, 2, 4, 8, 16, 64, 400),
    "MB": (1, 4, 16, 64, 256, 512),
    "GB": (1, 16, 64, 256, 1024),
    "TB": (1, 4, 16, 48, 64, 128),
    "Gbps": (1, 5, 10, 25, 50, 100, 400),
    "Mbps": (10, 100, 500, 1000),
    "%": (10, 25, 50, 70, 75, 80, 90, 95, 100),
    "倍": (2, 3, 5, 10, 20, 100),
    "回": (1, 2, 3, 4, 5, 10),
    "つ": (1, 2, 3, 4, 5, 6, 8, 10),
    "個": (1, 2, 3, 4, 5, 6, 8, 10),
    "台": (1, 2, 3, 4, 5, 10),
    "": (100, 500, 1000, 2000, 5000, 10000, 50000, 100000),
}
_SAME_UNIT = {"か月": "ヶ月", "カ月": "ヶ月", "％": "%"}


@dataclass(frozen=True)
class Quantity:
    """One quantity as written, with where it sits in its text."""

    text: str
    value: float
    unit: str  # '' for a bare count
    start: int
    end: int
    low: float | None = None  # for ranges

    @property
    def is_range(self) -> bool:
        return self.low is not None


def unit_of(unit: str | None) -> str:
    return _SAME_UNIT.get(unit or "", unit or "")


def number(text: str) -> float:
    return float(text.replace(",", ""))


def find_quantities(text: str) -> list[Quantity]:
    """Quantities in NFKC text, in order."""
    found: list[Quantity] = []
    for m in QUANTITY.finditer(text):
        if m["high"] is not None:
            found.append(
                Quantity(
                    m.group(0).strip(),
                    number(m["high"]),
                    unit_of(m["high_unit"]),
                    m.start(),
                    m.end(),
                    low=number(m["low"]),
                )
            )
        elif m["value"] is not None:
            found.append(
                Quantity(m.group(0).strip(), number(m["value"]), unit_of(m["unit"]), m.start(), m.end())
            )
        else:
            found.append(Quantity(m["count"], number(m["count"]), "", m.start(), m.end()))
    return found


def format_value(value: float, unit: str, like: str) -> str:
    """Write a value the way the answer is written (thousands separators, no '.0')."""
    digits = f"{value:,.0f}" if "," in like else (f"{value:g}" if value != int(value) else str(int(value)))
    return f"{digits}{unit}"


def parse_choice(text: str) -> tuple[float, str] | None:
    """(value, unit) of a single-quantity choice; ranges give their upper bound."""
    quantities = find_quantities(unicodedata.normalize("NFKC", text))
    if len(quantities) != 1 or quantities[0].text != unicodedata.normalize("NFKC", text).strip():
        return None
    return quantities[0].value, quantities[0].unit
