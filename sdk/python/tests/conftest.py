"""Shared fixtures. `npm test` (server/test/python-sdk.test.ts) sets the environment:
TICKFORGE_URL (a real server), TICKFORGE_RECORDING (bytes, states and rule values recorded from
the TypeScript in that run), TICKFORGE_ROOM (a room where a TypeScript client plays) and
TICKFORGE_PY_STATES (where the shared-room test writes the states the Python bot decoded)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@pytest.fixture(scope="session")
def recording() -> dict[str, Any]:
    path = os.environ.get("TICKFORGE_RECORDING")
    if not path:
        pytest.skip("TICKFORGE_RECORDING is not set: run through `npm test` (server/test/python-sdk.test.ts)")
    return json.loads(Path(path).read_text("utf-8"))


@pytest.fixture(scope="session")
def url() -> str:
    base = os.environ.get("TICKFORGE_URL")
    if not base:
        pytest.skip("TICKFORGE_URL is not set: run through `npm test`, or point it at a server")
    return base
