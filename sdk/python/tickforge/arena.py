"""Arena's rules, computed exactly as the server computes them (shared/src/modes/arena/rules.ts and
shared/src/mode-api/movement.ts): the same IEEE-754 double operations in the same order, so a
predicted position lands on the server's value to the bit.

The constants are not written here: `ArenaRules` takes them from the mode's entry of
GET /api/modes (`rules`, `tickRate`, and the projectile angle's bits from the state's field table).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from . import jsmath

#: A clamped 16-bit quantized coordinate: 2^16 - 1 steps from 0 to the grid's max (movement.ts).
COORD_STEPS = 65535
_INV_SQRT2 = math.sqrt(0.5)  # == JavaScript's Math.SQRT1_2
#: A motion segment's `dir` for a player standing still (rules.ts STILL; dir = (dy + 1) * 3 + dx + 1).
STILL = 4
_TWO_PI = math.pi * 2


@dataclass
class Point:
    x: float
    y: float


class ArenaRules:
    def __init__(self, mode: Mapping[str, Any]) -> None:
        """`mode`: arena's entry of GET /api/modes, or bigworld's (the same rules in its own world)."""
        r = mode["rules"]
        self.tick_rate: int = mode["tickRate"]
        self.world_size: float = r["worldSize"]
        self.coord_max: float = r["coordMax"]
        self.player_speed: float = r["playerSpeed"]
        self.max_hp: int = r["maxHp"]
        self.fire_cooldown_ms: float = r["fireCooldownMs"]
        self.projectile_speed: float = r["projectileSpeed"]
        self.projectile_lifetime_ticks: int = r["projectileLifetimeTicks"]
        self.hit_radius: float = r["hitRadius"]
        self.hit_damage: int = r["hitDamage"]
        classes = mode["state"]["classes"]
        root = next(c for c in classes if c["name"] == mode["state"]["root"])
        shots = next(f for f in root["fields"] if f["name"] == "projectiles")["type"]["of"]["schema"]
        projectile = next(c for c in classes if c["name"] == shots)  # Projectile in arena, BigProjectile in bigworld
        angle = next(f for f in projectile["fields"] if f["name"] == "angle")
        self.angle_span: int = 2 ** angle["type"]["scale"]["bits"]

    def snap_coord(self, v: float) -> float:
        """`v` clamped to the world and snapped to the wire grid (what the state field stores)."""
        c = 0.0 if v < 0 else self.world_size if v > self.world_size else v
        return (math.floor((c / self.coord_max) * COORD_STEPS + 0.5) / COORD_STEPS) * self.coord_max

    def move_player(self, p: Point, dx: int, dy: int, dt: float | None = None) -> Point:
        """One step of `dt` seconds (default one tick) along (dx, dy) ∈ {-1, 0, 1}², diagonals
        normalised, clamped and snapped. Mutates and returns `p`, like movePlayer/walk."""
        if dx == 0 and dy == 0:
            return p
        dt = 1 / self.tick_rate if dt is None else dt
        step = self.player_speed * dt * _INV_SQRT2 if dx != 0 and dy != 0 else self.player_speed * dt
        p.x = self.snap_coord(p.x + dx * step)
        p.y = self.snap_coord(p.y + dy * step)
        return p

    def segment_position(self, sx: float, sy: float, direction: int, steps: int) -> Point:
        """Where a player is `steps` ticks along the motion segment from (sx, sy) in `direction`
        (rules.ts segmentPosition): the same steps the server walked, so the same value to the bit."""
        p = Point(sx, sy)
        if direction == STILL:
            return p
        dx, dy = direction % 3 - 1, direction // 3 - 1
        for _ in range(steps):
            self.move_player(p, dx, dy)
        return p

    def materialize(self, state: Any, tick: int) -> None:
        """Sets `x` and `y` of every player of a decoded arena state at `tick` from its motion
        segment (sx, sy, dir, since): arena does not send positions (docs/protocol.md §3). The
        GameClient calls this after every state it applies, as the TypeScript GameClient does."""
        for player in state.values["players"].values():
            v = player.values
            at = self.segment_position(v.get("sx", 0.0), v.get("sy", 0.0), v.get("dir", 0), (tick - v.get("since", 0)) & 0xFFFF)
            v["x"] = at.x
            v["y"] = at.y

    def snap_angle(self, a: float) -> float:
        """An angle as the projectile's 16-bit wrapping field carries it, in [0, 2π)."""
        if not math.isfinite(a):
            return 0.0
        r = math.fmod(a, _TWO_PI)  # JavaScript's % keeps the dividend's sign, as fmod does
        if r < 0:
            r += _TWO_PI
        q = math.floor((r / _TWO_PI) * self.angle_span + 0.5) % self.angle_span
        return (q / self.angle_span) * _TWO_PI

    def projectile_at(self, sx: float, sy: float, angle: float, age_ticks: float, tick_rate: int | None = None) -> Point:
        """Where a projectile spawned at (sx, sy) flying at `angle` is `age_ticks` after its spawn tick."""
        d = (self.projectile_speed * age_ticks) / (self.tick_rate if tick_rate is None else tick_rate)
        # V8's cos and sin, not the C library's: they differ in the last bit for ~3% of angles.
        return Point(sx + jsmath.cos(angle) * d, sy + jsmath.sin(angle) * d)

    def inside_world(self, x: float, y: float) -> bool:
        return 0 <= x <= self.world_size and 0 <= y <= self.world_size

    def can_fire(self, last_shot_ms: float, now_ms: float) -> bool:
        return now_ms - last_shot_ms >= self.fire_cooldown_ms

    @staticmethod
    def segment_hit(ax: float, ay: float, bx: float, by: float, cx: float, cy: float, radius: float) -> float:
        """Parameter t in [0, 1] of the first point of segment a→b within `radius` of c, or -1."""
        dx, dy = bx - ax, by - ay
        fx, fy = ax - cx, ay - cy
        c = fx * fx + fy * fy - radius * radius
        if c <= 0:
            return 0.0
        a = dx * dx + dy * dy
        if a == 0:
            return -1.0
        b = 2 * (fx * dx + fy * dy)
        disc = b * b - 4 * a * c
        if disc < 0:
            return -1.0
        t = (-b - math.sqrt(disc)) / (2 * a)
        return t if 0 <= t <= 1 else -1.0

    def was_hit(self, shot: Any, gone_at_tick: int) -> bool:
        """True if a projectile that left the state at `gone_at_tick` went because it hit a player:
        the server removes one only on a hit, at the end of its lifetime, or once out of the world."""
        age = gone_at_tick - shot.spawnTick
        if age >= self.projectile_lifetime_ticks:
            return False
        at = self.projectile_at(shot.x, shot.y, shot.angle, age)
        return self.inside_world(at.x, at.y)
