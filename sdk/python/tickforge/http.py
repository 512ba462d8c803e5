"""The server's HTTP API (docs/protocol.md §1) over urllib: matchmaking and the mode catalog."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class MatchmakeError(Exception):
    """The server refused: `status` is the HTTP status, `code` the stable TF_ERR_* / FST_ERR_* code."""

    def __init__(self, status: int, code: str, message: str, retry_after: str | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


def _request(base_url: str, path: str, body: dict[str, Any] | None = None, timeout: float = 10) -> Any:
    url = urllib.parse.urljoin(base_url, path)
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")
    if data is not None:
        req.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return json.loads(res.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        try:
            err = json.loads(e.read().decode("utf-8"))
        except ValueError:
            err = {}
        raise MatchmakeError(e.code, str(err.get("code", f"HTTP_{e.code}")), str(err.get("message", e.reason)), e.headers.get("retry-after")) from None


def fetch_modes(base_url: str) -> list[dict[str, Any]]:
    """GET /api/modes: every mode with its tick rate, world, input layout, state field table and rules."""
    return _request(base_url, "/api/modes")


def fetch_mode(base_url: str, name: str) -> dict[str, Any]:
    for m in fetch_modes(base_url):
        if m["name"] == name:
            return m
    raise MatchmakeError(404, "TF_ERR_UNKNOWN_MODE", f'no mode "{name}"')


def matchmake(base_url: str, mode: str, name: str | None = None, room_id: str | None = None, create: bool = False) -> dict[str, Any]:
    """POST /api/matchmake: a seat `{roomId, mode, token, expiresInMs, url}`. Raises MatchmakeError."""
    body: dict[str, Any] = {"mode": mode}
    if name is not None:
        body["name"] = name
    if room_id is not None:
        body["roomId"] = room_id
    if create:
        body["create"] = True
    return _request(base_url, "/api/matchmake", body)


def socket_url(base_url: str, path_or_url: str) -> str:
    """The ws:// (or wss://) URL of a seat's `url`, which may be relative to the server or absolute."""
    u = urllib.parse.urlsplit(urllib.parse.urljoin(base_url, path_or_url))
    scheme = {"http": "ws", "https": "wss"}.get(u.scheme, u.scheme)
    return urllib.parse.urlunsplit((scheme, u.netloc, u.path, u.query, ""))


def reconnect_url(base_url: str, token: str) -> str:
    return socket_url(base_url, "/ws?reconnect=" + urllib.parse.quote(token, safe=""))
