/**
 * The Python SDK (sdk/python) against the real server: pytest runs its tests with the server's
 * URL, a fresh recording of the TypeScript's bytes, states and rule values, and the id of a room
 * where a TypeScript client is playing. The Python bot plays in that room and dumps what it decoded
 * at each tick; this test then compares it with what the TypeScript client decoded at the same ticks.
 * Needs Debian's /usr/bin/python3 with python3-websockets and python3-pytest (the pretest installs
 * them); without them the tests are skipped, saying so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, startServer, type TestServer } from './support/server';
import { sdkRecording, stateRecorder } from './support/sdk-recording';

const PYTHON = '/usr/bin/python3';
const SDK = fileURLToPath(new URL('../../sdk/python', import.meta.url));
const missing = spawnSync(PYTHON, ['-c', 'import websockets, pytest'], { encoding: 'utf8' }).status !== 0;
const title = missing ? `the Python SDK — SKIPPED: ${PYTHON} lacks websockets or pytest (apt-get install python3-websockets python3-pytest)` : 'the Python SDK';

function run(cmd: string, args: string[], env: Record<string, string>, ms: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: SDK, env: { ...process.env, ...env, PYTHONPATH: SDK, PYTHONDONTWRITEBYTECODE: '1' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(missing)(title, () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startServer();
    dir = mkdtempSync(joinPath(tmpdir(), 'tickforge-sdk-'));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes its pytest suite against the real server, and its bot decodes the states a TypeScript client decodes', async () => {
    const recording = joinPath(dir, 'recording.json');
    writeFileSync(recording, JSON.stringify(sdkRecording()));
    // A TypeScript client plays in a room of its own; the Python bot joins it (test_shared_room).
    const { states, events } = stateRecorder();
    const ts = await join(server.base, { name: 'ts-client', create: true }, events);
    let t = 0;
    const pace = setInterval(() => ts.game.sendInput({ dx: t % 90 < 45 ? 1 : -1, dy: (t >> 4) % 2 ? 1 : -1, aim: t++ / 5, fire: t % 10 === 0 }), 1000 / 30);
    const pyStates = joinPath(dir, 'python-states.json');
    try {
      const pytest = await run(
        PYTHON,
        ['-m', 'pytest', 'tests', '-q', '-p', 'no:cacheprovider'],
        {
          TICKFORGE_URL: server.base,
          TICKFORGE_RECORDING: recording,
          TICKFORGE_ROOM: ts.seat.roomId,
          TICKFORGE_PY_STATES: pyStates,
        },
        150_000,
      );
      expect(pytest.output).toMatch(/passed/);
      expect(pytest.code, pytest.output).toBe(0);
      expect(pytest.output).not.toMatch(/skipped/);
    } finally {
      clearInterval(pace);
      ts.ws.close();
    }
    const py = JSON.parse(readFileSync(pyStates, 'utf8')) as { playerId: number; states: Record<string, unknown> };
    const common = Object.keys(py.states).filter((tick) => states.has(Number(tick)));
    expect(common.length).toBeGreaterThan(45); // ~3 s of the bot's game at 30 patches/s (90 ticks)
    for (const tick of common) expect({ tick, state: py.states[tick] }).toEqual({ tick, state: states.get(Number(tick)) });
    // Both players are in what each decoded, and they moved: the comparison is not of empty states.
    const seen = common.map((tick) => states.get(Number(tick)) as { players: Record<string, { x: number; y: number }> });
    expect(Object.keys(seen.at(-1)!.players)).toEqual(expect.arrayContaining([String(ts.game.playerId), String(py.playerId)]));
    const positions = (id: number) => new Set(seen.map((s) => JSON.stringify(s.players[String(id)]))).size;
    expect(positions(ts.game.playerId)).toBeGreaterThan(30);
    expect(positions(py.playerId)).toBeGreaterThan(10);
  }, 180_000);

  it('its bot is runnable as the README says and prints its JSON summary', async () => {
    const bot = await run(PYTHON, ['-m', 'tickforge.examples.arena_bot', '--url', server.base, '--seconds', '1'], {}, 30_000);
    expect(bot.code, bot.output).toBe(0);
    const summary = JSON.parse(bot.output);
    expect(summary.patches).toBeGreaterThanOrEqual(20);
    expect(summary.positions.length).toBeGreaterThanOrEqual(2);
    expect(summary).toMatchObject({ hits: expect.any(Number), kills: expect.any(Number), closedByServer: null });
  }, 40_000);
});
