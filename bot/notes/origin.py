"""Whose words a notes file holds: a team's own notes, or the project's supplement to them.

The rule lives here and only here: a file named `<deck>.supplement.md` is dop-bot's supplement
(written by the project, each fact with an AWS documentation link); every other notes file is the
team's. Lookups and questions show it, so a team can tell its own words from the project's.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePosixPath

SUPPLEMENT_SUFFIX = ".supplement.md"


class Origin(StrEnum):
    """Who wrote a passage; the value is the i18n key's last part (`origin.team`)."""

    TEAM = "team"
    SUPPLEMENT = "supplement"


def origin_of(source: str) -> Origin:
    """The origin of a notes file by its name (a path as the notes name it, or a bare file name)."""
    name = PurePosixPath(source.replace("\\", "/")).name
    return Origin.SUPPLEMENT if name.endswith(SUPPLEMENT_SUFFIX) else Origin.TEAM
