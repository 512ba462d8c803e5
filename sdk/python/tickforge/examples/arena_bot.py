"""An arena bot: joins arena, walks toward the nearest player and shoots at them, then prints a
JSON summary of the game (patches, its own positions, hits, kills).

    /usr/bin/python3 -m tickforge.examples.arena_bot --url http://127.0.0.1:3000 --seconds 30

It sends one input per tick, paced by its own clock at the tick rate, as docs/protocol.md asks. A
hit is counted exactly: the server removes a projectile early only when it hits a player or leaves
the world, and `ArenaRules.was_hit` tells the two apart from the projectile's path. Kills and
deaths come from the kill events that ride in the patches.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import time
from typing import Any, Callable

from tickforge.arena import ArenaRules
from tickforge.client import GameClient
from tickforge.protocol import Patch, Welcome

#: Closer than this on an axis, stop walking along it (avoids jitter around the target).
DEADBAND = 8.0


class Tally:
    """What the bot saw, updated on every state the server sent."""

    def __init__(self, rules: ArenaRules) -> None:
        self.rules = rules
        self.shots: dict[str, tuple[int, float, float, float]] = {}  # own projectiles in flight
        self.fired = 0
        self.hits = 0
        self.kills = 0
        self.hits_taken = 0
        self.deaths = 0
        self.max_players_seen = 0
        self.last_hp: int | None = None

    def __call__(self, client: GameClient, msg: Welcome | Patch | None) -> None:
        me = client.me()
        players = client.players()
        self.max_players_seen = max(self.max_players_seen, len(players))
        projectiles = client.state.get("projectiles") or {}
        mine = {k: s for k, s in projectiles.items() if s.owner == client.player_id}
        for key, shot in self.shots.items():
            if key not in projectiles:
                spawn_tick, x, y, angle = shot
                if self.rules.was_hit(_Shot(spawn_tick, x, y, angle), client.tick):
                    self.hits += 1
        for key, s in mine.items():
            if key not in self.shots:
                self.fired += 1
        self.shots = {k: (s.spawnTick, s.x, s.y, s.angle) for k, s in mine.items()}
        if me is None:
            return
        # Kills and deaths from the tick's kill events (the victim has respawned in the same state).
        died = False
        for e in client.tick_events:
            if e["type"] != "kill":
                continue
            if e["killer"] == client.player_id:
                self.kills += 1
            if e["victim"] == client.player_id:
                self.deaths += 1
                died = True
        if self.last_hp is not None and (died or me.hp < self.last_hp):
            self.hits_taken += 1
        self.last_hp = me.hp


class _Shot:
    __slots__ = ("spawnTick", "x", "y", "angle")

    def __init__(self, spawn_tick: int, x: float, y: float, angle: float) -> None:
        self.spawnTick, self.x, self.y, self.angle = spawn_tick, x, y, angle


def decide(client: GameClient, rules: ArenaRules, wander: list[int]) -> dict[str, Any]:
    """This tick's input: toward the nearest other player, aiming and firing at them in range."""
    me = client.me()
    if me is None:
        return client.layout.neutral()
    nearest, best = None, math.inf
    for key, p in client.players().items():
        if key == str(client.player_id):
            continue
        d = math.hypot(p.x - me.x, p.y - me.y)
        if d < best:
            nearest, best = p, d
    if nearest is None:  # alone: walk back and forth across the world
        if me.x >= rules.world_size - 50:
            wander[0] = -1
        elif me.x <= 50:
            wander[0] = 1
        return {"dx": wander[0], "dy": 0, "aim": 0.0, "fire": False}
    ddx, ddy = nearest.x - me.x, nearest.y - me.y
    reach = rules.projectile_speed * rules.projectile_lifetime_ticks / rules.tick_rate
    return {
        "dx": 0 if abs(ddx) < DEADBAND else (1 if ddx > 0 else -1),
        "dy": 0 if abs(ddy) < DEADBAND else (1 if ddy > 0 else -1),
        "aim": math.atan2(ddy, ddx),
        "fire": best < reach * 0.9,
    }


async def play(url: str, seconds: float, name: str, room_id: str | None = None, observe: Callable[[GameClient], None] | None = None) -> dict[str, Any]:
    """Plays `seconds` of arena; returns the summary. `observe(client)` sees every state applied."""
    client = await GameClient.join(url, "arena", name=name, room_id=room_id)
    rules = ArenaRules(client.mode)
    tally = Tally(rules)

    def on_state(c: GameClient, msg: Welcome | Patch | None) -> None:
        tally(c, msg)
        if observe is not None:
            observe(c)

    client.on_state = on_state
    on_state(client, None)
    positions: list[dict[str, float]] = []
    wander = [1]
    dt = 1 / client.tick_rate
    start = time.monotonic()
    next_at = start
    next_sample = start
    next_ping = start
    first_tick = client.tick
    while client.closed is None and time.monotonic() - start < seconds:
        now = time.monotonic()
        if now >= next_sample:
            me = client.me()
            if me is not None:
                positions.append({"tick": client.tick, "x": round(me.x, 3), "y": round(me.y, 3)})
            next_sample += 1.0
        if now >= next_ping:
            await client.ping()
            next_ping += 1.0
        await client.send_input(decide(client, rules, wander))
        next_at += dt  # a fixed schedule: no drift
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    me = client.me()
    if me is not None:
        positions.append({"tick": client.tick, "x": round(me.x, 3), "y": round(me.y, 3)})
    elapsed = time.monotonic() - start
    closed_by_server = client.closed
    if client.closed is None:
        await client.leave()
        await client.wait_for(lambda c: c.closed is not None, 5, "the server to close after LEAVE")
    return {
        "playerId": client.player_id,
        "roomId": client.room_id,
        "seconds": round(elapsed, 2),
        "patches": client.patches,
        "patchesPerSecond": round(client.patches / elapsed, 2) if elapsed > 0 else 0,
        "ticks": [first_tick, client.tick],
        "inputsSent": client.seq,
        "lastAck": client.ack,
        "resyncs": client.resyncs,
        "bytesIn": client.bytes_in,
        "rttMsMedian": round(statistics.median(client.rtts), 2) if client.rtts else None,
        "maxPlayersSeen": tally.max_players_seen,
        "positions": positions,
        "shotsFired": tally.fired,
        "hits": tally.hits,
        "kills": tally.kills,
        "score": me.score if me is not None else None,
        "hitsTaken": tally.hits_taken,
        "deaths": tally.deaths,
        "closedByServer": list(closed_by_server) if closed_by_server else None,
        "clientError": repr(client.error) if client.error else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m tickforge.examples.arena_bot", description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="the server's base URL, e.g. http://127.0.0.1:3000")
    ap.add_argument("--seconds", type=float, default=30, help="how long to play (default 30)")
    ap.add_argument("--name", default="pybot", help="the player's display name (default pybot)")
    ap.add_argument("--room", default=None, help="join this room id rather than any arena room")
    args = ap.parse_args(argv)
    summary = asyncio.run(play(args.url, args.seconds, args.name, args.room))
    json.dump(summary, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
