"""The fault-injecting proxy itself, in front of a small echo server: each mode does what it says."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from tests.faultproxy import FaultProxy


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    # Cancelled when the test's loop ends with a connection still open: not a failure of the proxy.
    with contextlib.suppress(ConnectionError, asyncio.CancelledError):
        while data := await reader.read(1024):
            writer.write(data)
            await writer.drain()
    writer.close()


@pytest.fixture
async def proxy() -> AsyncIterator[FaultProxy]:
    server = await asyncio.start_server(_echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    proxy = await FaultProxy(upstream_port=port).start()
    yield proxy
    await proxy.stop()
    server.close()


async def _connect(proxy: FaultProxy) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(proxy.host, proxy.port)


async def _roundtrip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes) -> bytes:
    writer.write(data)
    await writer.drain()
    return await asyncio.wait_for(reader.readexactly(len(data)), 2)


async def test_bytes_pass_through_both_ways(proxy: FaultProxy) -> None:
    reader, writer = await _connect(proxy)
    assert await _roundtrip(reader, writer, b"hello") == b"hello"
    assert proxy.mode == "passing" and proxy.open_connections == 1
    writer.close()


async def test_a_cut_closes_every_open_connection(proxy: FaultProxy) -> None:
    first, second = await _connect(proxy), await _connect(proxy)
    for reader, writer in (first, second):
        assert await _roundtrip(reader, writer, b"x") == b"x"
    assert proxy.cut() == 2
    for reader, _ in (first, second):
        with pytest.raises((ConnectionError, asyncio.IncompleteReadError)):
            await asyncio.wait_for(reader.readexactly(1), 2)
    reader, writer = await _connect(proxy)  # new connections work at once
    assert await _roundtrip(reader, writer, b"again") == b"again"
    writer.close()


async def test_refusing_for_a_while_then_listening_again_on_the_same_port(proxy: FaultProxy) -> None:
    port = proxy.port
    await proxy.refuse(0.3)
    assert proxy.mode == "refusing"
    with pytest.raises(ConnectionRefusedError):
        await _connect(proxy)
    await asyncio.sleep(0.5)
    assert proxy.mode == "passing" and proxy.port == port
    reader, writer = await _connect(proxy)
    assert await _roundtrip(reader, writer, b"back") == b"back"
    writer.close()

    await proxy.refuse()  # until told
    await asyncio.sleep(0.2)
    with pytest.raises(ConnectionRefusedError):
        await _connect(proxy)
    await proxy.pass_through()
    reader, writer = await _connect(proxy)
    assert await _roundtrip(reader, writer, b"ok") == b"ok"
    writer.close()


async def test_a_stall_accepts_but_never_answers_until_released(proxy: FaultProxy) -> None:
    old_reader, old_writer = await _connect(proxy)
    proxy.stall()
    new_reader, new_writer = await _connect(proxy)  # accepted: the TCP handshake succeeds
    for reader, writer in ((old_reader, old_writer), (new_reader, new_writer)):
        writer.write(b"ping")
        await writer.drain()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.readexactly(4), 0.3)
    assert proxy.mode == "stalled" and proxy.accepted == 2
    await proxy.pass_through()  # what was held is delivered
    assert await asyncio.wait_for(old_reader.readexactly(4), 2) == b"ping"
    assert await asyncio.wait_for(new_reader.readexactly(4), 2) == b"ping"
    old_writer.close()
    new_writer.close()


def test_url_points_a_database_url_at_the_proxy() -> None:
    proxy = FaultProxy(port=15432)
    assert (
        proxy.url("postgresql://postgres@127.0.0.1:5432/test") == "postgresql://postgres@127.0.0.1:15432/test"
    )


async def test_losing_the_reply_to_a_marked_request_cuts_after_the_server_got_it(proxy: FaultProxy) -> None:
    reader, writer = await _connect(proxy)
    proxy.lose_reply_to(b"INSERT", b"COMMIT")
    assert await _roundtrip(reader, writer, b"INSERT 1") == b"INSERT 1"  # the first marker alone: no loss
    writer.write(b"COMMIT")
    await writer.drain()
    with pytest.raises((ConnectionError, asyncio.IncompleteReadError)):
        await asyncio.wait_for(reader.readexactly(6), 2)  # the echo server answered; the answer was lost
    assert proxy.lost_replies == 1 and proxy.open_connections == 0
    reader, writer = await _connect(proxy)  # armed once: later requests pass
    assert await _roundtrip(reader, writer, b"COMMIT") == b"COMMIT"
    writer.close()
