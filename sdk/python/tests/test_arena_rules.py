"""Arena's rules in Python against values the TypeScript computed in this run: equal to the bit."""
from __future__ import annotations

import pytest

from tickforge import protocol as p
from tickforge.arena import ArenaRules, Point


def rules(recording) -> ArenaRules:
    return ArenaRules(recording["modes"]["arena"])


def test_move_player_lands_on_the_typescript_values(recording):
    r = rules(recording)
    for walk in recording["walks"]:
        at = Point(*walk["start"])
        for (dx, dy), expected in zip(walk["steps"], walk["path"]):
            r.move_player(at, dx, dy)
            assert [at.x, at.y] == expected


def test_projectile_at_is_the_typescript_path(recording):
    r = rules(recording)
    for f in recording["flights"]:
        at = r.projectile_at(f["sx"], f["sy"], f["angle"], f["age"])
        assert (at.x, at.y) == (f["x"], f["y"])


def test_snap_angle_and_segment_hit(recording):
    r = rules(recording)
    for a, snapped in recording["angles"]:
        assert r.snap_angle(a) == snapped
    for h in recording["hits"]:
        assert r.segment_hit(*h["args"], h["radius"]) == h["t"]


def test_a_straight_step_is_200_units_a_second(recording):
    r = rules(recording)
    at = Point(500.0, 500.0)
    for _ in range(r.tick_rate):
        r.move_player(at, 1, 0)
    assert abs(at.x - 700) < 1e-9 and at.y == 500.0  # 30 steps of exactly 200 grid steps each
    assert at.x == r.snap_coord(700)


def test_sin_and_cos_are_javascripts_to_the_bit(recording):
    from tickforge import jsmath

    for x, s, c in recording["trig"]:
        assert (jsmath.sin(x), jsmath.cos(x)) == (s, c), x


@pytest.mark.parametrize("name", ["arena", "bigworld-open"])
def test_materialize_computes_positions_from_motion_segments_as_the_server_walked_them(recording, name):
    """Arena and bigworld send segments (sx, sy, dir, since), not positions: after a patch at tick t a
    player is t - since steps along its segment, on its world's grid. The TypeScript harness recorded
    the server's x, y per message."""
    from tickforge.client import sends_motion_segments
    from tickforge.state import StateDecoder

    mode = recording["modes"][name]
    assert sends_motion_segments(mode) and not sends_motion_segments(recording["modes"]["koth"])
    rules = ArenaRules(mode)
    decoder = StateDecoder(mode["state"])
    checked = 0
    clock = p.PatchClock()  # full ticks from the u16 headers, as the client reads them
    for m in recording["messages"][name]:
        msg = p.decode_server_message(bytes.fromhex(m["bytes"]), clock)
        if isinstance(msg, p.Welcome) or msg.type == p.RESYNC:
            decoder.decode_full(msg.state)
        else:
            decoder.decode_patch(msg.state)
        if not m.get("positions"):
            continue
        rules.materialize(decoder.state, msg.tick)
        for key, (x, y) in m["positions"].items():
            player = decoder.state.players[key]
            assert (player.x, player.y) == (x, y)
            checked += 1
    assert checked > 100
