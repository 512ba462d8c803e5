/**
 * The fuzzing client, run as its own process by fuzz.test.ts so that its CPU does not come out of
 * the server's event loop: `node --import tsx fuzzer.ts '<json options>'`.
 *
 * Several workers each loop: matchmake into the target room, open the game socket, send a batch of
 * frames from a seeded FrameSource, then wait for the server to close the socket (or close it
 * themselves, 1000, if the batch was harmless), and record the close code. It stops when the
 * parent says 'enough' (IPC: the server received its target of messages), at the frame cap or at
 * the deadline, and prints one JSON summary line on stdout.
 */
import { WebSocket } from 'ws';
import { MatchmakeError, matchmake, socketUrl } from '@tickforge/shared';
import { FrameSource, type FuzzFrame } from './fuzz-frames';

export interface FuzzOptions {
  base: string;
  roomId: string;
  seed: number;
  /** Stop once this many frames were sent (a cap; the parent normally stops us first). */
  frames: number;
  workers: number;
  /** Stop at this many ms whatever the count. */
  deadlineMs: number;
}

export interface FuzzSummary {
  framesSent: number;
  connections: number;
  durationMs: number;
  /** Close code seen by the client → count. */
  closes: Record<string, number>;
  /** Up to 3 reasons per close code, for the report. */
  reasons: Record<string, string[]>;
  /** Frames sent by label. */
  labels: Record<string, number>;
  /** Connections the server never closed within the wait; the fuzzer closed them with 1000. */
  survivors: number;
  matchmakeRefusals: Record<string, number>;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as FuzzOptions;
const started = Date.now();
const summary: FuzzSummary = { framesSent: 0, connections: 0, durationMs: 0, closes: {}, reasons: {}, labels: {}, survivors: 0, matchmakeRefusals: {} };
let connectionIndex = 0;
let enough = false;
process.on('message', (m) => {
  if (m === 'enough') enough = true;
});

const done = () => enough || summary.framesSent >= opts.frames || Date.now() - started > opts.deadlineMs;

function send(ws: WebSocket, f: FuzzFrame): number {
  summary.labels[f.label] = (summary.labels[f.label] ?? 0) + 1;
  switch (f.kind) {
    case 'binary':
      ws.send(f.data, { binary: true });
      return 1;
    case 'text':
      ws.send(f.data, { binary: false });
      return 1;
    case 'fragments':
      f.parts.forEach((p, i) => ws.send(p, { binary: true, fin: i === f.parts.length - 1 }));
      return f.parts.length;
    case 'ping':
      ws.ping(f.data);
      return 1;
  }
}

async function oneConnection(): Promise<void> {
  const index = connectionIndex++;
  let seat;
  try {
    seat = await matchmake(opts.base, { mode: 'arena', roomId: opts.roomId, name: `fuzz-${index}` });
  } catch (err) {
    const code = err instanceof MatchmakeError ? err.code : String(err);
    summary.matchmakeRefusals[code] = (summary.matchmakeRefusals[code] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, 20)); // room full for a moment: seats free up each tick
    return;
  }
  const source = new FrameSource(opts.seed * 1_000_003 + index, index % 10 < 7 ? 'blaster' : 'creeper');
  const ws = new WebSocket(socketUrl(opts.base, seat));
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = await Promise.race([new Promise((r) => ws.once('open', () => r(true))), closed.then(() => false)]);
  summary.connections++;
  if (opened) {
    const n = source.batchSize();
    for (let i = 0; i < n && ws.readyState === WebSocket.OPEN; i++) summary.framesSent += send(ws, source.next());
  }
  const timer = setTimeout(() => {
    summary.survivors++;
    ws.close(1000, 'fuzz batch done');
  }, 1500);
  const { code, reason } = await closed;
  clearTimeout(timer);
  summary.closes[code] = (summary.closes[code] ?? 0) + 1;
  const reasons = (summary.reasons[code] ??= []);
  if (reasons.length < 3 && !reasons.includes(reason)) reasons.push(reason);
}

async function worker(): Promise<void> {
  while (!done()) await oneConnection();
}

await Promise.all(Array.from({ length: opts.workers }, worker));
summary.durationMs = Date.now() - started;
process.stdout.write(JSON.stringify(summary) + '\n');
process.exit(0);
