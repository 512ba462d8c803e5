"""Tickforge's Python client: everything docs/protocol.md and docs/state-format.md describe.

- `tickforge.http`: matchmaking and the mode catalog (GET /api/modes), over urllib;
- `tickforge.protocol`: every message of the game socket, encoded and decoded;
- `tickforge.state`: the state decoder, driven by a mode's field table (from /api/modes);
- `tickforge.client`: `GameClient`, a connection to one room (asyncio + websockets), with
  reconnection by token;
- `tickforge.arena`: arena's movement, projectile path and hit test, computed as the server does;
- `tickforge.examples.arena_bot`: a bot that plays arena.
"""
from .client import GameClient
from .http import MatchmakeError, fetch_modes, matchmake
from .protocol import CloseCode, ProtocolError
from .state import StateDecoder

__all__ = ["GameClient", "MatchmakeError", "fetch_modes", "matchmake", "CloseCode", "ProtocolError", "StateDecoder"]
