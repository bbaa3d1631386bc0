"""A fault-injecting TCP proxy for tests: it sits between the bot and Postgres, in the test's own loop.

It passes bytes through until told otherwise. At any moment a test can `cut()` every open connection,
`refuse()` new ones (the listening socket is closed, so a connect gets ECONNREFUSED) for a while or
until `pass_through()`, or `stall()`: connections are accepted and held, and nothing more is
forwarded in either direction, the way a server behind a dead network path looks.

`lose_reply_to(*markers)` is the cruellest cut: once a connection has sent every marker in order
(say b"INSERT INTO answers", then b"COMMIT"), the server's next reply on it is dropped and every
connection is cut. The server did the work; the client cannot know whether it did.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url

CHUNK = 65536


@dataclass(eq=False)  # kept in a set: hashed by identity
class _Pipe:
    """One client connection and its upstream connection; two pumps copy bytes between them."""

    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter
    pumps: list[asyncio.Task[None]] = field(default_factory=list)
    seen: int = 0  # how many of the proxy's markers this connection has sent so far

    def close(self) -> None:
        for writer in (self.client, self.upstream):
            transport = writer.transport
            if not transport.is_closing():
                transport.abort()  # RST, not FIN: an abrupt cut
        for pump in self.pumps:
            pump.cancel()


@dataclass
class FaultProxy:
    upstream_host: str = "127.0.0.1"
    upstream_port: int = 5432
    host: str = "127.0.0.1"
    port: int = 0
    accepted: int = 0  # connections accepted, in all modes
    cuts: int = 0  # connections closed by cut()
    _server: asyncio.Server | None = field(default=None, init=False)
    _pipes: set[_Pipe] = field(default_factory=set, init=False)
    _flowing: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    _reopen: asyncio.TimerHandle | None = field(default=None, init=False)
    _markers: tuple[bytes, ...] = field(default=(), init=False)
    lost_replies: int = 0  # replies dropped by lose_reply_to()

    async def start(self) -> FaultProxy:
        self._flowing.set()
        await self._listen()
        return self

    async def stop(self) -> None:
        self._cancel_reopen()
        self._close_listener()
        self.cut()

    def url(self, database_url: str) -> str:
        """`database_url` (same database, user and options) pointed at this proxy."""
        return (
            make_url(database_url).set(host=self.host, port=self.port).render_as_string(hide_password=False)
        )

    @property
    def mode(self) -> str:
        if self._server is None:
            return "refusing"
        return "passing" if self._flowing.is_set() else "stalled"

    @property
    def open_connections(self) -> int:
        return len(self._pipes)

    # ---------------------------------------------------------------- faults

    async def pass_through(self) -> None:
        """Back to normal: listening, and forwarding whatever was held during a stall."""
        self._cancel_reopen()
        self._flowing.set()
        if self._server is None:
            await self._listen()

    def cut(self) -> int:
        """Close every open connection abruptly (both sides); returns how many there were."""
        pipes, self._pipes = list(self._pipes), set()
        for pipe in pipes:
            pipe.close()
        self.cuts += len(pipes)
        return len(pipes)

    async def refuse(self, seconds: float | None = None) -> None:
        """Stop listening: new connections are refused, for `seconds` or until pass_through()."""
        self._cancel_reopen()
        self._close_listener()
        if seconds is not None:
            loop = asyncio.get_running_loop()
            self._reopen = loop.call_later(seconds, lambda: asyncio.ensure_future(self.pass_through()))

    def lose_reply_to(self, *markers: bytes) -> None:
        """Arm a cut that loses the reply to the request after `markers` (once, on one connection)."""
        self._markers = markers
        for pipe in self._pipes:
            pipe.seen = 0

    def stall(self) -> None:
        """Accept connections but forward nothing, either way, until pass_through()."""
        self._flowing.clear()

    # ---------------------------------------------------------------- plumbing

    async def _listen(self) -> None:
        # The same port every time: the bot's URL names it. reuse_address lets it be bound again
        # while connections from the previous listener are still in TIME_WAIT.
        self._server = await asyncio.start_server(self._accept, self.host, self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    def _close_listener(self) -> None:
        if self._server is not None:
            self._server.close()  # stops listening; connections already accepted stay open
            self._server = None

    def _cancel_reopen(self) -> None:
        if self._reopen is not None:
            self._reopen.cancel()
            self._reopen = None

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(self.upstream_host, self.upstream_port)
        except OSError:
            writer.transport.abort()
            return
        pipe = _Pipe(writer, up_writer)
        self._pipes.add(pipe)
        pipe.pumps = [
            asyncio.ensure_future(self._pump(reader, up_writer, pipe, upstream=True)),
            asyncio.ensure_future(self._pump(up_reader, writer, pipe, upstream=False)),
        ]

    async def _pump(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, pipe: _Pipe, *, upstream: bool
    ) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await source.read(CHUNK):
                await self._flowing.wait()  # a stall holds the bytes here
                if pipe not in self._pipes:
                    return  # cut while held: these bytes never arrive
                if self._markers and pipe.seen == len(self._markers) and not upstream:
                    self._markers = ()
                    self.lost_replies += 1
                    self.cut()  # the reply in `data` is never delivered
                    return
                if self._markers and upstream:
                    while pipe.seen < len(self._markers) and self._markers[pipe.seen] in data:
                        pipe.seen += 1
                sink.write(data)
                await sink.drain()
        # One side closed: close the other too, as a plain TCP relay would.
        if pipe in self._pipes:
            self._pipes.discard(pipe)
            pipe.close()
