"""When the database fails: the errors the rest of the bot sees, and the cause behind a driver's exception.

A driver error is read once, here, into a `Cause` (the server cannot be reached, the disk is full, the
file is read-only, ...) and one short line of detail. The drivers are recognised by what they carry
(SQLite's `sqlite_errorcode`, Postgres's `sqlstate`), so nothing here imports them.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import exc as sa_exc

from bot.storage.errors import (
    Cause,
    StorageError,
    StorageUnavailable,
)

# SQLite's primary result codes (https://sqlite.org/rescode.html).
_SQLITE = {
    5: Cause.LOCKED,  # SQLITE_BUSY
    6: Cause.LOCKED,  # SQLITE_LOCKED
    8: Cause.READ_ONLY,  # SQLITE_READONLY
    10: Cause.DISK_ERROR,  # SQLITE_IOERR
    13: Cause.DISK_FULL,  # SQLITE_FULL
    14: Cause.CANNOT_OPEN,  # SQLITE_CANTOPEN
}
# Postgres SQLSTATEs, exact or by class (the first two characters).
_SQLSTATE = {
    "53100": Cause.DISK_FULL,
    "25006": Cause.READ_ONLY,  # read_only_sql_transaction: a standby, or default_transaction_read_only
    "3D000": Cause.REFUSED,  # invalid_catalog_name: no such database
    "57P01": Cause.UNREACHABLE,  # admin_shutdown
    "57P02": Cause.UNREACHABLE,  # crash_shutdown
    "57P03": Cause.UNREACHABLE,  # cannot_connect_now: starting up or shutting down
    "57014": Cause.TIMEOUT,  # query_canceled: statement_timeout on the server
}
_SQLSTATE_CLASS = {"08": Cause.UNREACHABLE, "28": Cause.REFUSED, "53": Cause.DISK_FULL}
# Driver messages that mean the connection went away (asyncpg says so only in words).
_GONE = (
    "connection is closed",
    "connection was closed",
    "connection does not exist",
    "unexpected connection",
)


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, the driver error it wraps, and their causes, each once."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending.extend([orig if isinstance(orig, BaseException) else None, current.__cause__])


def unavailable_cause(error: BaseException) -> Cause | None:
    """Why the database cannot be used right now, or None if `error` is not about that (a bug)."""
    for link in _chain(error):
        if isinstance(link, StorageError):
            return link.cause
        if isinstance(link, TimeoutError | sa_exc.TimeoutError):  # TimeoutError first: it is an OSError
            return Cause.TIMEOUT
        code = getattr(link, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in _SQLITE:
            return _SQLITE[code & 0xFF]
        state = getattr(link, "sqlstate", None)
        if isinstance(state, str) and state:
            found = _SQLSTATE.get(state) or _SQLSTATE_CLASS.get(state[:2])
            if found is not None:
                return found
        if isinstance(link, OSError):
            return Cause.UNREACHABLE
        if isinstance(link, sa_exc.DBAPIError) and link.connection_invalidated:
            return Cause.UNREACHABLE
        if isinstance(link, sa_exc.DisconnectionError):
            return Cause.UNREACHABLE
        if any(words in str(link).lower() for words in _GONE):
            return Cause.UNREACHABLE
    return None


def describe(error: BaseException, limit: int = 200) -> str:
    """One safe line about an error: the driver's own message if it has one, else the error's type.

    Never fails, whatever the message: empty, several lines, SQLAlchemy's "[SQL: ...]" and
    "(Background on this error ...)" parts (dropped), or a `__str__` that raises.
    """
    for link in _chain(error):
        if isinstance(link, sa_exc.StatementError) and link.orig is not None:
            continue  # the wrapped driver error says the same without the SQL
        try:
            text = str(link)
        except Exception:
            continue
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith(("[SQL:", "[parameters:", "(Background on this error")):
                if line.startswith("(") and ") " in line:  # "(sqlite3.OperationalError) database is locked"
                    line = line.split(") ", 1)[1]
                return line[:limit]
    return type(error).__name__


def storage_error(error: BaseException) -> StorageError | None:
    """The StorageUnavailable an error stands for, or None if it is not a database failure."""
    if isinstance(error, StorageError):
        return error
    cause = unavailable_cause(error)
    return None if cause is None else StorageUnavailable(describe(error), cause)
