"""The database errors the rest of the bot sees. Kept apart from what reads a driver's exception
(failures.py) so that importing them costs nothing: the dispatcher and one-shot commands need the
names, not SQLAlchemy."""

from __future__ import annotations

from enum import StrEnum


class Cause(StrEnum):
    """Why the database failed; each has a message `storage.cause.<value>` in the catalogue."""

    UNREACHABLE = "unreachable"  # refused, reset, closed, no such host
    TIMEOUT = "timeout"  # no answer in time: a stalled server or network
    REFUSED = "refused"  # the server answered no: login, missing database
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    LOCKED = "locked"  # SQLite: another program holds the write lock
    CANNOT_OPEN = "cannot_open"  # SQLite: the file cannot be opened or created
    DISK_ERROR = "disk_error"  # SQLite: the disk failed a read or a write
    BAD_URL = "bad_url"
    NO_DIRECTORY = "no_directory"
    OTHER = "other"


class StorageError(Exception):
    """A database failure the user can be told about in one plain line: `cause` and `detail`."""

    def __init__(self, detail: str = "", cause: Cause = Cause.OTHER) -> None:
        super().__init__(detail)
        self.detail = detail
        self.cause = cause


class StorageUnavailable(StorageError):
    """The database cannot be read or written right now; a command gets the plain "try again" reply.

    `outcome_unknown`: the connection failed while the transaction was committing, so the server may
    have committed it. Whoever retries must be able to tell its own earlier write (see answer_batch).
    """

    outcome_unknown: bool = False


class StorageMisconfigured(StorageError):
    """DATABASE_URL or the data directory cannot work at all; only a start-up can report it."""


class DatabaseNewerThanCode(StorageError):
    """The database was migrated by a newer version of dop-bot."""


class MigrationFailed(StorageError):
    """A migration failed; it was rolled back, so the database is as it was before."""
