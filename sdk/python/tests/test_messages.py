"""The client's messages byte for byte as the TypeScript encodes them, and the refusals of bad input."""
from __future__ import annotations

import pytest

from tickforge import protocol as p


def test_inputs_ping_leave_and_chat_encode_as_in_typescript(recording):
    layout = p.InputLayout(recording["modes"]["arena"]["input"])
    assert layout.bytes == 7
    for case in recording["client"]["inputs"]:
        assert p.encode_input(layout, case["seq"], case["input"]).hex() == case["bytes"]
    c = recording["client"]
    assert p.encode_ping(c["ping"]["time"]).hex() == c["ping"]["bytes"]
    assert p.encode_leave().hex() == c["leave"]
    assert p.encode_chat(c["chat"]["text"]).hex() == c["chat"]["bytes"]


def test_refuses_what_the_server_would_close_for(recording):
    layout = p.InputLayout(recording["modes"]["arena"]["input"])
    with pytest.raises(ValueError):
        layout.encode({"dx": 2, "dy": 0, "aim": 0, "fire": False})
    with pytest.raises(ValueError):
        layout.encode({"dx": 0, "dy": 0, "aim": float("nan"), "fire": False})
    with pytest.raises(ValueError):
        layout.encode({"dx": 0, "dy": 0, "fire": False})
    with pytest.raises(ValueError):
        p.encode_chat("a\nb")
    assert layout.neutral() == {"dx": 0, "dy": 0, "aim": 0, "fire": False}


def test_decodes_every_server_message():
    assert p.decode_server_message(bytes.fromhex("03" + "00" * 7 + "40" + "00" * 6 + "f03f")) == p.Pong(2.0, 1.0)
    assert p.decode_server_message(bytes([0x04, 0x2A, 0x00, 2]) + b"no") == p.Error(42, "no")
    chat = p.decode_server_message(bytes([0x06, 0x07, 0x00, 3]) + b"bob" + "hé".encode())
    assert chat == p.Chat(7, "bob", "hé")
    resync = p.decode_server_message(bytes([0x05, 1, 0, 2, 0, 0xEC, 0x80]))
    assert resync == p.Patch(p.RESYNC, 1, 2, b"\x80", buffer_offset_ms=-20)
    other = p.PROTOCOL_VERSION + 1
    with pytest.raises(p.ProtocolError, match=f"protocol {other}"):
        p.decode_server_message(bytes([0x01, other]) + bytes(40))
    with_events = p.decode_server_message(bytes([0x82, 9, 0, 4, 0, 12, 5, 0, 0, 3, 0, 7, 0, 0xFF, 0x01]))
    assert with_events == p.Patch(p.PATCH, 9, 4, b"\xff\x01", events=bytes([0, 3, 0, 7, 0]), buffer_offset_ms=12)
    with pytest.raises(p.ProtocolError, match="truncated"):
        p.decode_server_message(bytes([0x02, 1, 0]))
    assert p.decode_server_message(bytes([0x07, 30, 0, 0, 0, 0x78, 0x56, 0x34, 0x12])) == p.StateHash(30, 0x12345678)


def _patch(tick: int, ack: int) -> bytes:
    return bytes([0x02, tick & 0xFF, (tick >> 8) & 0xFF, ack & 0xFF, (ack >> 8) & 0xFF, 0])


def test_patch_headers_carry_tick_and_ack_mod_65536_and_a_clock_unwraps_them_across_the_wrap():
    # Without a clock: the wire's u16s.
    assert p.decode_server_message(_patch(65537, 70000)) == p.Patch(p.PATCH, 1, 70000 - 65536, b"")
    clock = p.PatchClock()
    welcome = bytes([0x01, p.PROTOCOL_VERSION, 1, 0, 30]) + (65534).to_bytes(4, "little") + bytes(8) + bytes([0, 0, 0])
    assert p.decode_server_message(welcome, clock).tick == 65534
    assert clock.tick == 65534
    ticks, acks = [], []
    for tick in range(65535, 65540):
        clock.sent = tick  # the client has sent one input a tick; the server applied all but the last
        m = p.decode_server_message(_patch(tick, tick - 1), clock)
        ticks.append(m.tick)
        acks.append(m.ack)
    assert ticks == [65535, 65536, 65537, 65538, 65539]
    assert acks == [65534, 65535, 65536, 65537, 65538]
    # A skip of a few hundred ticks (a slow reader's RESYNC) is still exact; so is a stale ack.
    assert p.decode_server_message(bytes([0x05]) + _patch(65539 + 300, 65000)[1:], clock).tick == 65839
    assert p.unwrap_ack(65000, 65538 + 100) == 65000
    assert p.unwrap_ack(0, 0) == 0
    assert p.unwrap_ack(5, 2) == 5  # ahead of every input sent: no honest server sends it
    assert p.unwrap_patch_tick(3, 2**32 - 2) == 2**32 + 3


def test_the_client_unwraps_as_the_typescript_does(recording):
    """The recording's patches were encoded by the TypeScript from full ticks; the SDK's client
    (its PatchClock) reads the same full ticks back from their u16 headers."""
    ticks = recording["wrap"]
    assert any(t > 65536 for t, _ in ticks["expected"])
    clock = p.PatchClock()
    got = []
    for case in ticks["messages"]:
        clock.sent = case["sent"]
        m = p.decode_server_message(bytes.fromhex(case["bytes"]), clock)
        got.append([m.tick, getattr(m, "ack", None)])
    assert got == ticks["expected"]


def test_decodes_events_with_the_modes_layout(recording):
    layout = p.EventLayout(recording["modes"]["arena"]["events"])
    assert layout.decode(bytes([0, 3, 0, 7, 0, 0, 1, 0, 2, 0])) == [
        {"type": "kill", "killer": 3, "victim": 7},
        {"type": "kill", "killer": 1, "victim": 2},
    ]
    with pytest.raises(p.ProtocolError, match="unknown event type 1"):
        layout.decode(bytes([1, 0, 0, 0, 0]))
    with pytest.raises(p.ProtocolError, match="truncated"):
        layout.decode(bytes([0, 3, 0]))
    assert p.EventLayout(recording["modes"]["koth"]["events"]).types == []
