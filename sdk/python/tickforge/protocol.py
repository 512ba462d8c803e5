"""Every message of the game socket (docs/protocol.md §2), encoded and decoded.

Mirrors shared/src/protocol/messages.ts: little-endian integers, f64 doubles, `str8` strings (a u8
byte length, then UTF-8). The server's messages are decoded into small dataclasses; the client's
are encoded from plain values. A mode's INPUT layout comes from GET /api/modes (`input.fields`),
so nothing here knows any mode.
"""
from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Any, Mapping

PROTOCOL_VERSION = 6

# Server to client.
WELCOME = 0x01
PATCH = 0x02
PONG = 0x03
ERROR = 0x04
RESYNC = 0x05
CHAT = 0x06
#: The server's hash of the state after a tick, every 15 ticks (docs/protocol.md, "State integrity").
STATE_HASH = 0x07
#: Set on a PATCH or RESYNC type that carries the tick's mode events (0x82, 0x85).
EVENTS_FLAG = 0x80

# Client to server.
INPUT = 0x10
PING = 0x11
LEAVE = 0x12
CHAT_SEND = 0x13
RESYNC_REQUEST = 0x14
DESYNC_REPORT = 0x15

#: type, u16 tick, u16 ack (both mod 65536: PatchClock unwraps them), i8 input-buffer offset.
PATCH_HEADER_BYTES = 6
MAX_CLIENT_MESSAGE_BYTES = 512
MAX_CHAT_CHARS = 200


class CloseCode:
    """The close codes of docs/protocol.md §2 ("Closing")."""

    NORMAL = 1000
    GOING_AWAY = 1001
    PROTOCOL_ERROR = 1002
    UNSUPPORTED_DATA = 1003
    NO_CLOSE_FRAME = 1006  # not sent by anyone: the connection ended without a close handshake
    INVALID_DATA = 1007
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    INTERNAL_ERROR = 1011
    SEAT_INVALID = 4001
    SEAT_EXPIRED = 4002
    SEAT_USED = 4003
    ROOM_GONE = 4004
    ROOM_CRASHED = 4010
    TOO_SLOW = 4011
    REPLACED = 4012
    KICKED = 4013
    ROOM_CLOSED_BY_OPERATOR = 4014


class ProtocolError(Exception):
    """The server sent something this client cannot read (another protocol version, bad bytes)."""


@dataclass
class StateHash:
    """STATE_HASH: the server's 32-bit hash of the state after `tick` (this SDK does not check it yet)."""

    tick: int
    hash: int
    type: int = STATE_HASH


@dataclass
class Welcome:
    protocol_version: int
    player_id: int
    tick_rate: int
    tick: int
    #: Server clock in ms (monotonic, from the server process's start) when the message was written.
    server_time: float
    mode: str
    room_id: str
    #: Empty when the server offers no reconnection.
    reconnect_token: str
    #: The full state (docs/state-format.md).
    state: bytes
    type: int = WELCOME


@dataclass
class Patch:
    """A PATCH (changes since the previous tick) or a RESYNC (`type == RESYNC`: a full state).
    `events`: the tick's mode events, still encoded (EventLayout decodes them); None without.
    `tick` and `ack` are full numbers when decoded with the connection's PatchClock, else the
    wire's u16s (the value mod 65536)."""

    type: int
    tick: int
    ack: int
    state: bytes
    events: bytes | None = None
    #: How far your inputs' wait in the server's buffer is from its target, ms (i8, saturating at
    #: ±127): > 0 they wait too long (send a little slower), < 0 too short (a little faster).
    buffer_offset_ms: int = 0


@dataclass
class Pong:
    client_time: float
    server_time: float
    type: int = PONG


@dataclass
class Error:
    code: int
    message: str
    type: int = ERROR


@dataclass
class Chat:
    player_id: int
    name: str
    text: str
    type: int = CHAT


ServerMessage = Welcome | Patch | Pong | Error | Chat


def unwrap_patch_tick(wire: int, previous_tick: int) -> int:
    """The full tick of a PATCH/RESYNC header's u16 `wire`: the first at or after `previous_tick`
    (the WELCOME's, then each patch's). Exact because ticks only go forward on a connection and the
    server never lets one miss 65536 ticks (see shared/src/protocol/patch-clock.ts)."""
    return previous_tick + ((wire - previous_tick) & 0xFFFF)


def unwrap_ack(wire: int, last_sent_seq: int) -> int:
    """The full ack of a header's u16 `wire`: the newest sequence at or before `last_sent_seq` with
    those low 16 bits (an ack is never ahead of what was sent, nor 65536 behind). One ahead of
    every input sent (no honest server sends one) reads as `wire`."""
    ack = last_sent_seq - ((last_sent_seq - wire) & 0xFFFF)
    return ack if ack >= 0 else wire


class PatchClock:
    """One connection's unwrapping state, as in shared/src/protocol/patch-clock.ts: the full tick
    last read and the last input sequence sent (`sent`, kept current by its owner). Pass it to
    `decode_server_message`: a WELCOME sets its tick, PATCH and RESYNC come out with full tick and ack."""

    def __init__(self) -> None:
        self.tick = 0
        self.sent = 0

    def patch_tick(self, wire: int) -> int:
        self.tick = unwrap_patch_tick(wire, self.tick)
        return self.tick

    def ack(self, wire: int) -> int:
        return unwrap_ack(wire, self.sent)


class _Reader:
    __slots__ = ("data", "at")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, fmt: str) -> Any:
        size = struct.calcsize(fmt)
        if self.at + size > len(self.data):
            raise ProtocolError(f"truncated server message 0x{self.data[0]:02x}")
        (v,) = struct.unpack_from(fmt, self.data, self.at)
        self.at += size
        return v

    def str8(self) -> str:
        n = self.take("<B")
        if self.at + n > len(self.data):
            raise ProtocolError(f"truncated server message 0x{self.data[0]:02x}")
        s = self.data[self.at : self.at + n].decode("utf-8")
        self.at += n
        return s

    def rest(self) -> bytes:
        out = self.data[self.at :]
        self.at = len(self.data)
        return bytes(out)


def decode_server_message(data: bytes, clock: PatchClock | None = None) -> ServerMessage:
    """One binary message from the server. Raises ProtocolError on anything malformed. With the
    connection's `clock`, a WELCOME sets it and a PATCH/RESYNC comes out with its full tick and
    ack; without one, those are the wire's u16s."""
    if not data:
        raise ProtocolError("empty server message")
    r = _Reader(data)
    kind = r.take("<B")
    if kind == WELCOME:
        version = r.take("<B")
        if version != PROTOCOL_VERSION:
            raise ProtocolError(f"server speaks protocol {version}, this client {PROTOCOL_VERSION}")
        welcome = Welcome(
            protocol_version=version,
            player_id=r.take("<H"),
            tick_rate=r.take("<B"),
            tick=r.take("<I"),
            server_time=r.take("<d"),
            mode=r.str8(),
            room_id=r.str8(),
            reconnect_token=r.str8(),
            state=r.rest(),
        )
        if clock is not None:
            clock.tick = welcome.tick
        return welcome
    if kind in (PATCH, RESYNC):
        tick, ack, offset = r.take("<H"), r.take("<H"), r.take("<b")
        if clock is not None:
            tick, ack = clock.patch_tick(tick), clock.ack(ack)
        return Patch(type=kind, tick=tick, ack=ack, state=r.rest(), buffer_offset_ms=offset)
    if kind in (PATCH | EVENTS_FLAG, RESYNC | EVENTS_FLAG):
        tick, ack, offset, length = r.take("<H"), r.take("<H"), r.take("<b"), r.take("<H")
        if r.at + length > len(data):
            raise ProtocolError(f"truncated server message 0x{kind:02x}")
        if clock is not None:
            tick, ack = clock.patch_tick(tick), clock.ack(ack)
        events = bytes(data[r.at : r.at + length])
        r.at += length
        return Patch(type=kind & ~EVENTS_FLAG, tick=tick, ack=ack, state=r.rest(), events=events, buffer_offset_ms=offset)
    if kind == PONG:
        return Pong(client_time=r.take("<d"), server_time=r.take("<d"))
    if kind == ERROR:
        return Error(code=r.take("<H"), message=r.str8())
    if kind == CHAT:
        return Chat(player_id=r.take("<H"), name=r.str8(), text=r.rest().decode("utf-8"))
    if kind == STATE_HASH:
        if len(data) != 9:
            raise ProtocolError(f"STATE_HASH must be 9 bytes, got {len(data)}")
        return StateHash(tick=r.take("<I"), hash=r.take("<I"))
    raise ProtocolError(f"unknown server message type 0x{kind:02x}")


_INPUT_FORMATS = {"int8": "<b", "uint8": "<B", "uint16": "<H", "float32": "<f", "bool": "<B"}


class EventLayout:
    """A mode's one-tick events, from GET /api/modes (`events.types`): a u8 type (the index), then
    the type's fixed-size fields in order (docs/protocol.md, "Events")."""

    def __init__(self, info: Mapping[str, Any] | None) -> None:
        self.types = [dict(t) for t in (info or {}).get("types", [])]
        for t in self.types:
            t["formats"] = [(f["name"], _INPUT_FORMATS[f["kind"]], f["kind"]) for f in t["fields"]]

    def decode(self, data: bytes) -> list[dict[str, Any]]:
        """Every event of a tick's events section, in emission order: `{"type": name, field: value...}`."""
        out: list[dict[str, Any]] = []
        at = 0
        while at < len(data):
            i = data[at]
            if i >= len(self.types):
                raise ProtocolError(f"unknown event type {i}")
            t = self.types[i]
            if at + t["bytes"] > len(data):
                raise ProtocolError(f'truncated event "{t["name"]}"')
            at += 1
            event: dict[str, Any] = {"type": t["name"]}
            for name, fmt, kind in t["formats"]:
                (v,) = struct.unpack_from(fmt, data, at)
                at += struct.calcsize(fmt)
                event[name] = bool(v) if kind == "bool" else v
            out.append(event)
        return out


# ---- client to server -------------------------------------------------------------------------


class InputLayout:
    """A mode's INPUT frame, from GET /api/modes (`input`): fields in wire order, fixed sizes."""

    def __init__(self, info: Mapping[str, Any]) -> None:
        self.fields = [dict(f) for f in info["fields"]]
        for f in self.fields:
            if f["kind"] not in _INPUT_FORMATS:
                raise ProtocolError(f"input field {f['name']!r} has kind {f['kind']!r}, which this client does not know")
        self.bytes = int(info["bytes"])
        if sum(struct.calcsize(_INPUT_FORMATS[f["kind"]]) for f in self.fields) != self.bytes:
            raise ProtocolError("input layout's field sizes do not add up to its byte count")

    def neutral(self) -> dict[str, Any]:
        """Every field at 0 (or the nearest value in range; False for a bool): an idle input."""
        out: dict[str, Any] = {}
        for f in self.fields:
            out[f["name"]] = False if f["kind"] == "bool" else max(f.get("min", 0), min(f.get("max", 0), 0))
        return out

    def encode(self, values: Mapping[str, Any]) -> bytes:
        """The fields' bytes. Raises ValueError for a missing or out-of-range value (the server would close with 1007)."""
        out = bytearray()
        for f in self.fields:
            name, kind = f["name"], f["kind"]
            if name not in values:
                raise ValueError(f"input field {name!r} is missing")
            v = values[name]
            if kind == "bool":
                v = 1 if v else 0
            elif kind == "float32":
                v = float(v)
                if not math.isfinite(v) or v < f["min"] or v > f["max"]:
                    raise ValueError(f"input field {name!r}: {v} is outside {f['min']}..{f['max']}")
            else:
                if int(v) != v or v < f["min"] or v > f["max"]:
                    raise ValueError(f"input field {name!r}: {v} is not an integer in {f['min']}..{f['max']}")
                v = int(v)
            out += struct.pack(_INPUT_FORMATS[kind], v)
        return bytes(out)


def wrap_view_tick(view_tick: float) -> int:
    """The u16 wire form of a view tick: 1/16 ticks, modulo 65536 (docs/protocol.md, lag compensation)."""
    return int(math.floor(max(0.0, view_tick) * 16 + 0.5)) % 65536


def encode_input(layout: InputLayout, seq: int, values: Mapping[str, Any], view_tick: float = 0) -> bytes:
    """An INPUT: type, u32 sequence, u16 view tick (the tick you draw other entities at), the fields."""
    return struct.pack("<BIH", INPUT, seq, wrap_view_tick(view_tick)) + layout.encode(values)


def encode_ping(client_time_ms: float) -> bytes:
    return struct.pack("<Bd", PING, client_time_ms)


def encode_leave() -> bytes:
    return bytes([LEAVE])


def encode_chat(text: str) -> bytes:
    if not text.strip() or len(text) > MAX_CHAT_CHARS or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        raise ValueError(f"chat must be 1..{MAX_CHAT_CHARS} characters, not blank, without control characters")
    return bytes([CHAT_SEND]) + text.encode("utf-8")
