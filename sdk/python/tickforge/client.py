"""A connection to one room, as shared/src/netcode/game-client.ts is in TypeScript.

    client = await GameClient.join("http://127.0.0.1:3000", "arena", name="bot")
    await client.send_input({"dx": 1, "dy": 0, "aim": 0.0, "fire": False})
    await client.wait_for(lambda c: c.ack >= 1)
    client.me().x     # this player's x, as the server has it (decoded from the patches)

It matchmakes (HTTP), reads the mode's input layout and state field table from GET /api/modes,
opens the game socket (asyncio, `websockets` 10.4 or later), decodes the WELCOME and every
PATCH/RESYNC into `state`, tracks the tick and the acknowledged input, answers PONG with an RTT,
collects CHAT and ERROR, and takes the player back after a dropped connection with the reconnect
token (`reconnect()`).
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Mapping

import websockets
from websockets.exceptions import ConnectionClosed

from . import protocol as p
from .arena import ArenaRules
from .http import fetch_mode, matchmake, reconnect_url, socket_url
from .state import MapRef, StateDecoder, StateError, Struct


class Closed(ConnectionError):
    """The socket closed before what was awaited happened; `code` and `reason` say why (docs/protocol.md)."""

    def __init__(self, code: int, reason: str, waiting_for: str) -> None:
        super().__init__(f"socket closed with {code} {reason!r} while waiting for {waiting_for}")
        self.code = code
        self.reason = reason


def sends_motion_segments(mode: Mapping[str, Any]) -> bool:
    """Whether a mode's players travel as arena's motion segments (sx, sy, dir, since; docs/protocol.md §3):
    arena, bigworld and bigworld-open do, each on its own world and grid (its `rules`)."""
    segment = {"sx", "sy", "dir", "since"}
    classes = mode.get("state", {}).get("classes", [])
    return "worldSize" in mode.get("rules", {}) and any(segment <= {f["name"] for f in c["fields"]} for c in classes)


class GameClient:
    def __init__(self, base_url: str, mode: Mapping[str, Any], now: Callable[[], float] = lambda: time.monotonic() * 1000) -> None:
        """`mode` is the mode's entry of GET /api/modes; `now` is the client's clock in ms (for pings)."""
        self.base_url = base_url
        self.mode = mode
        self.layout = p.InputLayout(mode["input"])
        self.decoder = StateDecoder(mode["state"])
        self.event_layout = p.EventLayout(mode.get("events"))
        #: Arena and bigworld send motion segments, not positions: their players' x and y are computed here.
        self._arena = ArenaRules(mode) if sends_motion_segments(mode) else None
        #: The mode events of the last patch applied (`{"type": "kill", "killer": 3, "victim": 7}`
        #: in arena), in emission order; empty when it carried none. They live one tick.
        self.tick_events: list[dict[str, Any]] = []
        self.now = now
        self.player_id = 0
        self.room_id = ""
        self.tick_rate = 0
        #: Tick of the last state applied.
        self.tick = 0
        #: Highest input sequence number the server has applied (from the PATCH headers).
        self.ack = 0
        #: From the last PATCH: how far your inputs' wait on the server is from its target, ms.
        self.buffer_offset_ms = 0
        #: Last input sequence number sent.
        self.seq = 0
        #: Unwraps the PATCH/RESYNC headers' u16 tick and ack (its `sent` follows `seq`).
        self._clock = p.PatchClock()
        self.welcomed = False
        self.reconnect_token = ""
        #: (code, reason) once the socket closed.
        self.closed: tuple[int, str] | None = None
        self.patches = 0
        self.resyncs = 0
        self.bytes_in = 0
        self.bytes_out = 0
        self.welcome_server_time = 0.0
        self.welcome_tick = 0
        self.rtts: list[float] = []
        self.chats: list[p.Chat] = []
        self.errors: list[p.Error] = []
        #: The last STATE_HASH the server sent (docs/protocol.md, "State integrity"); not verified by this SDK yet.
        self.last_state_hash: p.StateHash | None = None
        #: Why this client closed the socket itself (a message it could not decode), if it did.
        self.error: Exception | None = None
        #: Called after each WELCOME, PATCH or RESYNC is applied (state, tick, ack and tick_events),
        #: with the client and the message.
        self.on_state: Callable[["GameClient", p.Welcome | p.Patch], None] | None = None
        #: The game socket URL last connected to: in a cluster the room's node, where a reconnection must go.
        self.socket_url: str | None = None
        self._ws: Any = None
        self._task: asyncio.Task[None] | None = None
        self._changed = asyncio.Condition()

    # -- connecting --

    @classmethod
    async def join(cls, base_url: str, mode: str = "arena", name: str | None = None, room_id: str | None = None, create: bool = False, timeout: float = 5) -> "GameClient":
        """Matchmakes (POST /api/matchmake), connects and returns once welcomed."""
        # Two HTTP round trips made in this thread: on Debian's Python 3.11.2, urllib in a worker
        # thread (asyncio.to_thread) tripped CPython's "AST constructor recursion depth mismatch"
        # (a race in the compiler, fixed in 3.11.5), so matchmaking blocks the loop for them.
        info = fetch_mode(base_url, mode)
        seat = matchmake(base_url, mode, name, room_id, create)
        client = cls(base_url, info)
        await client.connect(socket_url(base_url, seat["url"]), timeout)
        return client

    async def connect(self, url: str, timeout: float = 5) -> None:
        """Opens the game socket at `url` (a seat's or a reconnect URL) and waits for the WELCOME."""
        self.welcomed = False
        self.closed = None
        self.seq = 0
        self._clock.sent = 0
        self.ack = 0
        ws = await asyncio.wait_for(websockets.connect(url, compression=None, ping_interval=None, max_size=16 * 1024 * 1024), timeout)
        self.socket_url = url
        self._ws = ws
        self._task = asyncio.create_task(self._run(ws))
        await self.wait_for(lambda c: c.welcomed, timeout, "WELCOME")

    async def reconnect(self, timeout: float = 5) -> None:
        """Takes this player back after a dropped connection (same player id, full state, a new token).
        Sequence numbers start again at 1. Raises Closed (4002: the grace ran out; 4003: token used)."""
        if not self.reconnect_token:
            raise RuntimeError("the server offered no reconnect token")
        old = self._ws
        self._ws = None
        if old is not None and self._task is not None:
            self._task.cancel()
        # Resolved against the socket it played on: in a cluster only the room's node can take it back.
        await self.connect(reconnect_url(self.socket_url or self.base_url, self.reconnect_token), timeout)

    # -- sending --

    async def send_input(self, values: Mapping[str, Any], view_tick: float | None = None) -> int:
        """Sends one input frame (the mode's fields by name); returns its sequence number.
        `view_tick` is the tick you draw the other entities at, for lag compensation (default:
        the newest tick received, right for a client that draws the newest state)."""
        self.seq += 1
        self._clock.sent = self.seq
        await self.send(p.encode_input(self.layout, self.seq, values, self.tick if view_tick is None else view_tick))
        return self.seq

    async def ping(self) -> None:
        await self.send(p.encode_ping(self.now()))

    async def chat(self, text: str) -> None:
        """A chat line to the room: the server sends it to everyone, this player included."""
        await self.send(p.encode_chat(text))

    async def leave(self) -> None:
        """LEAVE: the server closes the socket with 1000 and the player leaves at the next tick."""
        await self.send(p.encode_leave())

    async def send(self, data: bytes) -> None:
        if self._ws is None or self.closed is not None:
            return
        self.bytes_out += len(data)
        try:
            await self._ws.send(data)
        except ConnectionClosed:
            pass

    async def close(self, code: int = 1000, reason: str = "bye") -> None:
        if self._ws is not None:
            await self._ws.close(code, reason)
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    def drop(self) -> None:
        """Cuts the connection without a close handshake, as a lost network would (the server then
        holds the player for its reconnection grace). For testing reconnection."""
        if self._ws is not None:
            self._ws.transport.abort()

    # -- reading --

    @property
    def state(self) -> Struct:
        return self.decoder.state

    def players(self) -> MapRef:
        return self.state.get("players") or MapRef(-1)

    def me(self) -> Struct | None:
        """This player's entry in `state.players` (modes key players by their id, as a string)."""
        return self.players().get(str(self.player_id))

    def tick_time(self, tick: int) -> float:
        """Server time (ms, the server's clock) at which `tick` ran: the tick loop never drifts."""
        return self.welcome_server_time + (tick - self.welcome_tick) * 1000 / self.tick_rate

    async def wait_for(self, done: Callable[["GameClient"], bool], timeout: float = 5, what: str = "a condition") -> None:
        """Waits until `done(client)` after some message; raises Closed if the socket closes first,
        TimeoutError after `timeout` seconds."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: done(self) or self.closed is not None), timeout)
        if not done(self):
            assert self.closed is not None
            raise Closed(self.closed[0], self.closed[1], what)

    async def _run(self, ws: Any) -> None:
        try:
            async for data in ws:
                if ws is not self._ws:
                    return
                if isinstance(data, str):
                    raise p.ProtocolError("text frame from the server")
                self._receive(data)
                async with self._changed:
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
        except (p.ProtocolError, StateError) as e:
            # A message this client cannot read: the state can no longer be trusted. Say so and close.
            self.error = e
            await ws.close(p.CloseCode.PROTOCOL_ERROR, "client could not decode a message")
        finally:
            if ws is self._ws:
                self.closed = (ws.close_code if ws.close_code is not None else p.CloseCode.NO_CLOSE_FRAME, ws.close_reason or "")
                async with self._changed:
                    self._changed.notify_all()

    def _receive(self, data: bytes) -> None:
        self.bytes_in += len(data)
        msg = p.decode_server_message(data, self._clock)
        if isinstance(msg, p.Welcome):
            self.player_id = msg.player_id
            self.room_id = msg.room_id
            self.tick_rate = msg.tick_rate
            self.reconnect_token = msg.reconnect_token
            self.decoder.decode_full(msg.state)
            self.tick_events = []
            self.tick = msg.tick
            self.welcome_tick = msg.tick
            self.welcome_server_time = msg.server_time
            self.welcomed = True
        elif isinstance(msg, p.Patch):
            if msg.type == p.RESYNC:
                self.decoder.decode_full(msg.state)
                self.resyncs += 1
            else:
                self.decoder.decode_patch(msg.state)
            self.tick_events = self.event_layout.decode(msg.events) if msg.events else []
            self.tick = msg.tick
            self.ack = msg.ack
            self.buffer_offset_ms = msg.buffer_offset_ms
            self.patches += 1
        elif isinstance(msg, p.Pong):
            self.rtts.append(self.now() - msg.client_time)
            return
        elif isinstance(msg, p.Chat):
            self.chats.append(msg)
            return
        elif isinstance(msg, p.Error):
            self.errors.append(msg)
            return
        elif isinstance(msg, p.StateHash):
            # Kept for the caller; verifying it needs state_hash.ts ported (not done yet).
            self.last_state_hash = msg
            return
        if self._arena is not None and "players" in self.decoder.state.values:
            self._arena.materialize(self.decoder.state, self.tick)
        if self.on_state is not None:
            self.on_state(self, msg)
