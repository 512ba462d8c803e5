"""Arena's rules in Python against values the TypeScript computed in this run: equal to the bit."""
from __future__ import annotations

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
