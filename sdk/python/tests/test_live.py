"""Against the real server (TICKFORGE_URL): playing, seeing each other, reconnecting, every message."""
from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from tickforge.client import Closed, GameClient
from tickforge.examples.arena_bot import play
from tickforge.http import MatchmakeError, fetch_mode, matchmake
from tickforge.protocol import CloseCode

IDLE = {"dx": 0, "dy": 0, "aim": 0.0, "fire": False}


async def steer(client: GameClient, seconds: float, values) -> None:
    """One input per tick, paced by the client's clock, for `seconds`."""
    dt = 1 / client.tick_rate
    loop = asyncio.get_running_loop()
    start = next_at = loop.time()
    while loop.time() - start < seconds:
        await client.send_input(values)
        next_at += dt
        await asyncio.sleep(max(0.0, next_at - loop.time()))


def test_own_x_grows_by_200_units_a_second_moving_right(url):
    async def go():
        for _ in range(8):  # a spawn far enough from the right edge for a second of walking
            c = await GameClient.join(url, "arena", name="walker", create=True)
            if c.me().x < 1700:
                break
            await c.close()
        rules = c.mode["rules"]
        x0, ack0 = c.me().x, c.ack
        samples: list[tuple[int, int, float]] = []
        c.on_state = lambda cl, _msg: samples.append((cl.tick, cl.ack, cl.me().x))
        await steer(c, 1.0, {**IDLE, "dx": 1})
        await c.wait_for(lambda cl: cl.ack == cl.seq, 2, "the last input's ack")
        # Every applied input moved x by exactly one step of 200/30 units (the 1/30-unit grid).
        for _tick, ack, x in samples:
            assert abs((x - x0) - (ack - ack0) * rules["playerSpeed"] / c.tick_rate) < 1e-9
        moved = c.me().x - x0
        assert c.ack - ack0 >= 25
        assert moved / ((c.ack - ack0) / c.tick_rate) == pytest.approx(200, abs=1e-6)
        # And in game time: from the first tick that applied an input to the last, paced at 30 Hz.
        moving = [(t, x) for t, ack, x in samples if ack > ack0]
        (t1, _), (t2, x2) = moving[0], moving[-1]
        assert (x2 - x0) / ((t2 - t1 + 1) / c.tick_rate) == pytest.approx(200, rel=0.2)
        await c.close()

    asyncio.run(go())


def test_two_python_bots_see_each_other(url):
    async def go():
        a = await GameClient.join(url, "arena", name="ada", create=True)
        b = await GameClient.join(url, "arena", name="bea", room_id=a.room_id)
        await a.wait_for(lambda c: str(b.player_id) in c.players(), 2, "bea in ada's state")
        await asyncio.gather(steer(a, 0.5, {**IDLE, "dy": 1}), steer(b, 0.5, {**IDLE, "dx": -1}))
        await a.wait_for(lambda c: c.ack == c.seq, 2)
        await b.wait_for(lambda c: c.ack == c.seq and c.tick >= a.tick, 2)
        await a.wait_for(lambda c: c.tick >= b.tick, 2)
        assert a.players()[str(b.player_id)].name == "bea"
        assert b.players()[str(a.player_id)].name == "ada"
        if a.tick == b.tick:
            assert a.state.to_json() == b.state.to_json()
        assert a.players()[str(b.player_id)].x == b.me().x  # ada sees where bea is
        await a.close()
        await b.close()

    asyncio.run(go())


def test_reconnection_keeps_the_player_id_and_the_token_is_single_use(url):
    async def go():
        c = await GameClient.join(url, "arena", name="phoenix", create=True)
        await steer(c, 0.3, {**IDLE, "dx": 1})
        await c.wait_for(lambda cl: cl.ack == cl.seq, 2)
        pid, x, token = c.player_id, c.me().x, c.reconnect_token
        assert token
        c.drop()  # no close handshake: the server holds the player for its grace
        await c.wait_for(lambda cl: cl.closed is not None, 2, "the drop")
        await asyncio.sleep(0.2)
        await c.reconnect()
        assert c.player_id == pid and c.me().x == x and c.reconnect_token != token
        assert c.seq == 0
        await c.send_input({**IDLE, "dx": -1})
        await c.wait_for(lambda cl: cl.ack == 1, 2, "the first input after reconnecting")
        # The old token was used: a second reconnection with it is refused with 4003.
        stale = GameClient(url, c.mode)
        stale.reconnect_token = token
        with pytest.raises(Closed) as refused:
            await stale.reconnect()
        assert refused.value.code == CloseCode.SEAT_USED
        await c.close()

    asyncio.run(go())


def test_ping_chat_leave_and_matchmaking_errors(url):
    async def go():
        c = await GameClient.join(url, "arena", name="talker", create=True)
        await c.ping()
        await c.wait_for(lambda cl: cl.rtts, 2, "PONG")
        assert 0 <= c.rtts[0] < 1000
        await c.chat("hello room")
        await c.wait_for(lambda cl: cl.chats, 2, "the chat's echo")  # CHAT comes back to its sender
        assert (c.chats[0].player_id, c.chats[0].name, c.chats[0].text) == (c.player_id, "talker", "hello room")
        assert c.tick_time(c.tick) > c.welcome_server_time - 1
        await c.leave()
        await c.wait_for(lambda cl: cl.closed is not None, 2, "the close after LEAVE")
        assert c.closed[0] == CloseCode.NORMAL
        with pytest.raises(MatchmakeError) as e:
            matchmake(url, "no-such-mode")
        assert (e.value.status, e.value.code) == (404, "TF_ERR_UNKNOWN_MODE")
        with pytest.raises(MatchmakeError) as e:
            matchmake(url, "arena", room_id="nope")
        assert e.value.code == "TF_ERR_ROOM_NOT_FOUND"

    asyncio.run(go())


def test_api_modes_tells_a_bot_what_it_needs(url):
    arena = fetch_mode(url, "arena")
    assert arena["world"] == {"width": 2000, "height": 2000}
    assert arena["tickRate"] == 30
    assert [f["name"] for f in arena["input"]["fields"]] == ["dx", "dy", "aim", "fire"]
    for key in ("playerSpeed", "fireCooldownMs", "hitDamage", "projectileSpeed", "projectileLifetimeTicks", "hitRadius", "maxHp"):
        assert key in arena["rules"]
    assert arena["state"]["root"] == "ArenaState"


def test_the_bot_plays_in_a_typescript_clients_room_and_dumps_what_it_decoded(url):
    """server/test/python-sdk.test.ts compares the dump with the TypeScript client's states."""
    room, out = os.environ.get("TICKFORGE_ROOM"), os.environ.get("TICKFORGE_PY_STATES")
    if not room or not out:
        pytest.skip("TICKFORGE_ROOM / TICKFORGE_PY_STATES not set: run through `npm test`")
    states: dict[int, object] = {}
    seen: dict[str, int] = {}

    def observe(client: GameClient) -> None:
        states[client.tick] = client.state.to_json()
        seen["player"] = client.player_id

    summary = asyncio.run(play(url, 3.0, "pybot", room_id=room, observe=observe))
    assert summary["maxPlayersSeen"] == 2
    assert summary["patches"] >= 60
    Path(out).write_text(json.dumps({"playerId": seen["player"], "states": states}), "utf-8")
