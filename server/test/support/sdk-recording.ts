/**
 * What the Python SDK's unit tests compare against, recorded fresh from the TypeScript on every
 * run (so a change to a state, the encoding or the rules shows up as a Python failure, never as a
 * stale fixture): the modes' /api/modes entries, real message bytes from harness rooms with the
 * state the TypeScript client decoded after each, arena's movement, projectile paths, angles and
 * hit tests, and the client messages' bytes.
 */
import {
  EVENTS_FLAG,
  GameClient,
  type GameClientEvents,
  patchBodyWithEvents,
  seededRandom,
  encodeChat,
  encodeInput,
  encodeLeave,
  encodePatch,
  encodePing,
  encodeWelcome,
  decodeServerMessage,
  describeMode,
  PatchClock,
  ServerMessage,
  type ModeDefinition,
} from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { koth } from '@tickforge/shared/modes/koth/index';
import { bigworldOpen } from '@tickforge/shared/modes/bigworld/index';
import { RULES, movePlayer, projectileAt, segmentHit, snapAngle, snapCoord, TICK_RATE } from '@tickforge/shared/modes/arena/rules';
import { createHarness } from '@tickforge/server/harness';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface Recorded {
  /** A whole server message, hex. */
  bytes: string;
  /** The TypeScript client's `state.toJSON()` after applying it. */
  state: unknown;
  /** The mode events the TypeScript client decoded from it. */
  events: unknown[];
  /** Where the server has each player (key → [x, y]) when `state` is given: arena does not send positions. */
  positions?: Record<string, [number, number]>;
}

/** `ticks` ticks of a harness room with `n` players driven by `input(i, tick)`; player 0's messages. */
function session<I>(
  mode: ModeDefinition<any, I, any>,
  n: number,
  ticks: number,
  input: (i: number, tick: number) => I,
  joinLateAt = -1,
  setup: (state: any, ids: number[]) => void = () => {},
): Recorded[] {
  const h = createHarness(mode, { seed: 7 });
  const players = Array.from({ length: n }, (_, i) => h.join(`p${i}-ünï`));
  const out: Recorded[] = [];
  const watch = players[0]!;
  let seen = 0;
  const collect = () => {
    for (; seen < watch.received.length; seen++) {
      const m = watch.received[seen]!;
      let bytes: Uint8Array;
      let events: unknown[] = [];
      if (m.type === ServerMessage.WELCOME) bytes = encodeWelcome(m);
      else if (m.type === ServerMessage.PATCH || m.type === ServerMessage.RESYNC) {
        bytes = m.events
          ? encodePatch(m.tick, m.ack, patchBodyWithEvents(m.events, m.state), m.type | EVENTS_FLAG, m.bufferOffsetMs)
          : encodePatch(m.tick, m.ack, m.state, m.type, m.bufferOffsetMs);
        events = watch.events.filter((e) => e.tick === m.tick).map((e) => e.event);
      } else continue;
      // Only the last message of a step has the mirror as it is now; a step sends one per player.
      const last = seen === watch.received.length - 1;
      const positions: Record<string, [number, number]> = {};
      if (last)
        (h.state as { players?: Map<string, { x?: unknown; y?: unknown }> }).players?.forEach(
          (p, key) => void (typeof p.x === 'number' && (positions[key] = [p.x, p.y as number])),
        );
      out.push({ bytes: hex(bytes), state: last ? watch.mirror.toJSON() : null, events, ...(last && mode.materialize ? { positions } : {}) });
    }
  };
  h.step();
  collect();
  setup(
    h.state,
    players.map((p) => p.id),
  );
  for (let t = 0; t < ticks; t++) {
    if (t === joinLateAt) h.join('late');
    // Each player claims to view the tick its input will be applied at: no lag-compensation rewind,
    // so the setup's positions (written between ticks, never sent) are the ones shots are tested against.
    players.forEach((p, i) => {
      if (!p.closed) p.input(input(i, t), h.tick + 1);
    });
    if (t === Math.floor(ticks / 2)) players[n - 1]!.leave();
    h.step();
    collect();
  }
  h.dispose();
  return out;
}

export function sdkRecording() {
  const r = seededRandom(14);
  const arenaMessages = session(
    arena,
    4,
    150,
    (i, t) =>
      t === 0 && i < 2
        ? { dx: 0, dy: 0, aim: 0, fire: i === 0 }
        : { dx: (((t >> 4) + i) % 3) - 1, dy: (((t >> 3) + 2 * i) % 3) - 1, aim: (t + i * 40) / 7 - 10, fire: (t + i) % 5 === 0 },
    60,
    // Players 0 and 1 start side by side, player 1 one hit from death: player 0's first shot hits
    // on its spawn tick, so that patch carries a kill event and the DELETE of a projectile whose
    // ADD was never sent.
    (state, ids) => {
      for (const [k, id] of ids.slice(0, 2).entries()) Object.assign(state.players.get(String(id)), { x: 1000 + 5 * k, y: 1000, sx: 1000 + 5 * k, sy: 1000, dir: 4 });
      state.players.get(String(ids[1])).hp = 10;
    },
  );
  // Bigworld sends arena's motion segments on its own grid: the Python client must place its players too.
  const bigworldMessages = session(bigworldOpen, 4, 120, (i, t) => ({ dx: (((t >> 4) + i) % 3) - 1, dy: (((t >> 3) + 2 * i) % 3) - 1, aim: t / 5, fire: false }));
  const kothMessages = session(koth, 3, 120, (i, t) => ({ dx: ((t + i) % 3) - 1, dy: (((t >> 2) + i) % 3) - 1, push: t % 31 === i }));

  const walks = Array.from({ length: 40 }, () => {
    const start = { x: snapCoord(r() * 2200 - 100), y: snapCoord(r() * 2200 - 100) };
    const steps = Array.from({ length: 20 }, () => [Math.floor(r() * 3) - 1, Math.floor(r() * 3) - 1] as const);
    const p = { ...start };
    const path = steps.map(([dx, dy]) => {
      movePlayer(p, dx, dy, 1 / TICK_RATE);
      return [p.x, p.y];
    });
    return { start: [start.x, start.y], steps, path };
  });
  const at = { x: 0, y: 0 };
  const flights = Array.from({ length: 200 }, () => {
    const sx = snapCoord(r() * 2000);
    const sy = snapCoord(r() * 2000);
    const angle = snapAngle(r() * 40 - 20);
    const age = Math.floor(r() * 31);
    projectileAt(sx, sy, angle, age, TICK_RATE, at);
    return { sx, sy, angle, age, x: at.x, y: at.y };
  });
  const angles = Array.from({ length: 200 }, () => {
    const a = (r() - 0.5) * 2000;
    return [a, snapAngle(a)];
  });
  const hits = Array.from({ length: 200 }, () => {
    const args = Array.from({ length: 6 }, () => r() * 100) as [number, number, number, number, number, number];
    return { args, radius: RULES.hitRadius, t: segmentHit(...args, RULES.hitRadius) };
  });
  // Angles of every size a game meets, and some it does not: V8's sin/cos, which Python must match.
  const trig = Array.from({ length: 3000 }, (_, i) => {
    const x = i < 2000 ? r() * Math.PI * 2 : (r() - 0.5) * 2 ** (i % 20);
    return [x, Math.sin(x), Math.cos(x)];
  });
  const inputs = [
    { seq: 1, input: { dx: 1, dy: 0, aim: 0, fire: false } },
    { seq: 70000, input: { dx: -1, dy: 1, aim: -3.25, fire: true } },
    { seq: 4294967295, input: { dx: 0, dy: -1, aim: 999.5, fire: true } },
  ].map(({ seq, input }) => ({ seq, input, bytes: hex(encodeInput(arena.input, seq, input)) }));

  return {
    modes: { arena: describeMode(arena), koth: describeMode(koth), 'bigworld-open': describeMode(bigworldOpen) },
    messages: { arena: arenaMessages, koth: kothMessages, 'bigworld-open': bigworldMessages },
    walks,
    flights,
    angles,
    hits,
    trig,
    wrap: wrapCase(),
    client: {
      inputs,
      ping: { time: 12345.678, bytes: hex(encodePing(12345.678)) },
      leave: hex(encodeLeave()),
      chat: { text: 'héllo 🌍', bytes: hex(encodeChat('héllo 🌍')) },
    },
  };
}

/**
 * Messages across the u16 wrap of the patch header's tick and ack (a WELCOME at tick 65530, patches
 * past 65536, a RESYNC with events after a gap of 300 ticks), with the input sequence sent before
 * each and the full [tick, ack] the TypeScript's PatchClock reads from them.
 */
function wrapCase() {
  const clock = new PatchClock();
  const messages: Array<{ bytes: string; sent: number }> = [];
  const expected: Array<[number, number | null]> = [];
  const read = (bytes: Uint8Array, sent: number) => {
    clock.sent = sent;
    const m = decodeServerMessage(bytes, clock);
    messages.push({ bytes: hex(bytes), sent });
    expected.push([(m as { tick: number }).tick, 'ack' in m ? m.ack : null]);
  };
  read(encodeWelcome({ playerId: 1, tickRate: 30, tick: 65530, serverTime: 0, mode: 'arena', roomId: 'r', state: new Uint8Array() }), 65525);
  for (let tick = 65531; tick <= 65545; tick++) read(encodePatch(tick, tick - 5, Uint8Array.of(0xff, 0x01), ServerMessage.PATCH, tick % 7), tick - 3);
  read(encodePatch(65845, 65800, patchBodyWithEvents(Uint8Array.of(0, 1, 0, 2, 0), Uint8Array.of(0x80)), ServerMessage.RESYNC | EVENTS_FLAG), 65801);
  return { messages, expected };
}

/**
 * `state.toJSON()` with each player's x and y: arena does not send them (motion segments), the
 * client computes them (`materialize`), and the Python client must compute the same.
 */
function withPositions(state: any): unknown {
  const json = state.toJSON();
  state.players?.forEach((p: { x?: unknown; y?: unknown }, key: string) => {
    if (typeof p.x === 'number' && json.players?.[key]) Object.assign(json.players[key], { x: p.x, y: p.y });
  });
  return json;
}

/** Events for `join` that record a TypeScript client's decoded state at each tick: tick → state with positions. */
export function stateRecorder(): { states: Map<number, unknown>; events: GameClientEvents } {
  const states = new Map<number, unknown>();
  const record = (game: GameClient<any, any>) => void states.set(game.tick, withPositions(game.state));
  return { states, events: { onWelcome: record, onPatch: record } };
}
