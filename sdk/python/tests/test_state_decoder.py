"""The decoder against real bytes: every message of harness rooms of each mode, recorded from the
TypeScript in this run, decodes to the state the TypeScript client decoded from the same bytes."""
from __future__ import annotations

import pytest

from tickforge import protocol as p
from tickforge.state import StateDecoder, StateError


@pytest.mark.parametrize("mode", ["arena", "koth", "bigworld-open"])
def test_decodes_every_message_as_the_typescript_client_does(recording, mode):
    decoder = StateDecoder(recording["modes"][mode]["state"])
    events = p.EventLayout(recording["modes"][mode]["events"])
    messages = recording["messages"][mode]
    compared = 0
    for i, m in enumerate(messages):
        msg = p.decode_server_message(bytes.fromhex(m["bytes"]))
        if isinstance(msg, p.Welcome) or msg.type == p.RESYNC:
            decoder.decode_full(msg.state)
        else:
            decoder.decode_patch(msg.state)
        if isinstance(msg, p.Patch):
            assert (events.decode(msg.events) if msg.events else []) == m["events"], f"{mode} message {i}"
        if m["state"] is not None:
            assert decoder.state.to_json() == m["state"], f"{mode} message {i}"
            compared += 1
    assert compared > 100


def test_the_recording_covers_joins_leaves_and_projectiles(recording):
    """So that the test above exercises map ADD and DELETE, and child structures dropped."""
    states = [m["state"] for m in recording["messages"]["arena"] if m["state"]]
    assert max(len(s["players"]) for s in states) == 5  # 4 and one joining late
    assert len(states[-1]["players"]) == 4  # one left
    assert max(len(s["projectiles"]) for s in states) >= 3
    assert any(len(a["projectiles"]) > len(b["projectiles"]) for a, b in zip(states, states[1:]))
    # The first shot killed point-blank on its spawn tick: the patch held a kill event and only the
    # projectile's DELETE.
    first = recording["messages"]["arena"][1]
    assert first["events"] == [{"type": "kill", "killer": 1, "victim": 2}]
    victim = next(p for p in first["state"]["players"].values() if p["name"] == "p1-ünï")
    assert victim["hp"] == 100 and first["state"]["projectiles"] == {}
    assert bytes.fromhex(first["bytes"])[0] == p.PATCH | p.EVENTS_FLAG


def test_forgets_removed_structures(recording):
    decoder = StateDecoder(recording["modes"]["arena"]["state"])
    for m in recording["messages"]["arena"]:
        msg = p.decode_server_message(bytes.fromhex(m["bytes"]))
        (decoder.decode_full if isinstance(msg, p.Welcome) else decoder.decode_patch)(msg.state)
    state = decoder.state
    live = 3 + len(state.players) + len(state.projectiles)  # root, two maps, their children
    assert len(decoder.refs) == live


def test_refuses_bytes_outside_the_grammar(recording):
    decoder = StateDecoder(recording["modes"]["arena"]["state"])
    with pytest.raises(StateError):
        decoder.decode_patch(bytes([0xFF, 0x63]))  # a switch to a refId never introduced
    with pytest.raises(StateError):
        decoder.decode_patch(bytes([0x80 | 9, 0x01]))  # ArenaState has no field 9
    with pytest.raises(StateError):
        decoder.decode_patch(bytes([0x80]))  # ends in the middle of an operation


def test_arena_coordinates_are_thirtieths_of_a_unit(recording):
    decoder = StateDecoder(recording["modes"]["arena"]["state"])
    first = p.decode_server_message(bytes.fromhex(recording["messages"]["arena"][0]["bytes"]))
    decoder.decode_full(first.state)
    for player in decoder.state.players.values():
        # Arena sends a player's motion segment; its start point is on the 1/30-unit grid.
        assert abs(player.sx * 30 - round(player.sx * 30)) < 1e-9
        assert abs(player.sy * 30 - round(player.sy * 30)) < 1e-9
