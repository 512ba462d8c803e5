/**
 * The game-mode API: the narrow waist between the engine (sockets, timing, encoding) and a mode's
 * rules. A mode is pure rules over its schema state, validated inputs and simulated time; it never
 * sees a socket, a buffer or a timer, and the engine never knows what the rules are.
 * docs/game-modes.md is the guide.
 */
import { Schema } from '@colyseus/schema';
import { MAX_CLIENT_MESSAGE_BYTES } from '../protocol/constants';
import type { EventLayout, ModeEvent } from '../protocol/event-layout';
import type { InputLayout } from '../protocol/input-layout';
import { interestProblem, type ModeInterest } from './interest';

export type { ModeInterest } from './interest';
import { INPUT_HEADER_BYTES } from '../protocol/messages';
import type { Point } from './movement';

export type { ModeEvent } from '../protocol/event-layout';

/** What a rule hook may know about time and chance, and how it tells clients what happened. */
export interface ModeContext<E extends ModeEvent = ModeEvent> {
  /** Number of the tick being computed (the first tick is 1). */
  readonly tick: number;
  readonly tickRate: number;
  /** Seconds per tick (1 / tickRate). */
  readonly dt: number;
  /** Simulated time of this tick in milliseconds: tick * 1000 / tickRate. */
  readonly timeMs: number;
  /** Seeded random number in [0, 1): the only randomness a mode may use. */
  random(): number;
  /**
   * Lag compensation: where entity `id` was, as the engine sent it, at the fractional tick
   * `viewTick` (usually a `PlayerInput.viewTick`: what that player was looking at). The engine
   * keeps a short history of what it sent (the positions the mode's `lagCompensation.positions`
   * reports after every tick) and interpolates in it. The rewind is bounded: a tick older than
   * `maxRewindTicks` before this one reads as that bound, a tick at or after the last one sent
   * reads as the last one sent. Writes into `out` and returns it, or undefined when the entity is
   * not in the history (it joined since, or the mode declares no positions, or the room runs
   * without lag compensation): then use its current position.
   */
  positionAt(id: number, viewTick: number, out: Point): Point | undefined;
  /** The rewind bound in ticks (0: the room does no lag compensation). */
  readonly maxRewindTicks: number;
  /**
   * Tells every client that something happened this tick (a kill, a hit): a one-tick event of a
   * type declared in the mode's `events`. It rides in this tick's patch and is gone at the next
   * tick; state is for what lasts, events for what happens. Throws on an undeclared type or a value
   * its field cannot carry. Events emitted in `create` reach nobody.
   */
  emit(event: E): void;
}

export interface ModePlayer {
  /** Small integer, unique within the room for its lifetime. */
  readonly id: number;
  readonly name: string;
}

export interface PlayerInput<I> {
  readonly player: ModePlayer;
  /** The client's sequence number of this input frame. */
  readonly seq: number;
  readonly input: I;
  /**
   * The server tick (fractional) the player was drawing other entities at when it produced this
   * input: its interpolation view. Already clamped by the engine to [tick - maxRewindTicks, tick],
   * so nobody can claim an arbitrary past. Hand it to `ctx.positionAt` to favor the shooter.
   */
  readonly viewTick: number;
}

export interface ModeDefinition<S extends Schema = Schema, I = unknown, E extends ModeEvent = ModeEvent> {
  /** Lower-case id used in matchmaking and URLs (a-z, 0-9, '-'). */
  readonly name: string;
  /** Shown in the lobby. */
  readonly title: string;
  /**
   * The rules' version, written into recordings (default "1"): bump it when a change makes old
   * recordings replay differently, so a failed replay says why.
   */
  readonly version?: string | number;
  readonly description?: string;
  /**
   * Whether the lobby offers the mode (default true). A baseline or tooling mode sets false: it is
   * still played by name (matchmake, the loadtest's presets) and described in GET /api/modes
   * (with `lobby: false`), and its rooms are still listed; only the lobby's mode cards leave it out.
   */
  readonly lobby?: boolean;
  /** Simulation ticks per second; a patch goes to every client each tick. */
  readonly tickRate: number;
  readonly maxPlayers: number;
  /**
   * The play area in state units, x and y from 0 (optional): lets a generic client renderer fit
   * the view to a mode it has no renderer for.
   */
  readonly world?: { readonly width: number; readonly height: number };
  /**
   * The rule constants a client or bot needs to play and predict (speeds, cooldowns, damage...),
   * published in GET /api/modes. Numbers only; export them from the mode's rules so they are
   * written once.
   */
  readonly rules?: Readonly<Record<string, number>>;
  /** The replicated state: a class made with @colyseus/schema's `schema()`. */
  readonly State: new () => S;
  /** The input a client sends each frame (see defineInput). */
  readonly input: InputLayout<I>;
  /**
   * Optional, for lag compensation: report every entity a shot can hit, with the position clients
   * are sent, by calling `record`. The engine calls it after every tick and keeps a bounded
   * history that `ctx.positionAt` reads. Must only read the state.
   */
  readonly lagCompensation?: { positions(state: S, record: (id: number, x: number, y: number) => void): void };
  /** The one-tick events the mode may `ctx.emit` (see defineEvents); none if absent. */
  readonly events?: EventLayout<E>;
  /**
   * Per-client interest for big worlds (see ./interest.ts): which collections are spatial and
   * where each player looks. Without it every client receives the whole state.
   */
  readonly interest?: ModeInterest<S>;
  /** Called once, when the room is created. */
  create?(state: S, ctx: ModeContext<E>): void;
  /** A player took a seat. Add them to the state here. */
  join(state: S, player: ModePlayer, ctx: ModeContext<E>): void;
  /** A player left (or their reconnection grace ran out). Remove them here. */
  leave(state: S, player: ModePlayer, ctx: ModeContext<E>): void;
  /**
   * One simulation step. `inputs` holds the input frames the engine applies this tick, in arrival
   * order; a player may have none (no frame arrived) or several (catching up after jitter).
   */
  tick(state: S, inputs: ReadonlyArray<PlayerInput<I>>, ctx: ModeContext<E>): void;
  /**
   * Client side only (optional): computes the state's fields that are not sent but follow from
   * those that are, after every state the client decodes (WELCOME, PATCH, RESYNC) with its tick.
   * Arena sends a player's motion as a segment and computes where the player is here, with the
   * same movement code the server ran, so the client holds exactly what the server computed.
   */
  materialize?(state: S, tick: number, tickRate: number): void;
}

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Checks a mode definition and returns it frozen. Throws at startup, not at the first tick. */
export function defineMode<S extends Schema, I, E extends ModeEvent = ModeEvent>(def: ModeDefinition<S, I, E>): ModeDefinition<S, I, E> {
  const fail = (why: string): never => {
    throw new Error(`mode "${def.name}": ${why}`);
  };
  if (typeof def.name !== 'string' || !NAME.test(def.name)) throw new Error(`mode name "${def.name}" must match ${NAME}`);
  if (typeof def.title !== 'string' || def.title.trim() === '') fail('title must be a non-empty string');
  if (!Number.isInteger(def.tickRate) || def.tickRate < 1 || def.tickRate > 128) fail('tickRate must be an integer 1..128');
  if (!Number.isInteger(def.maxPlayers) || def.maxPlayers < 1 || def.maxPlayers > 1000) fail('maxPlayers must be an integer 1..1000');
  if (def.world !== undefined && !(def.world.width > 0 && def.world.height > 0 && Number.isFinite(def.world.width * def.world.height))) {
    fail('world must have a finite, positive width and height');
  }
  if (def.rules !== undefined && !Object.values(def.rules).every((v) => typeof v === 'number' && Number.isFinite(v))) {
    fail('rules must map names to finite numbers');
  }
  if (typeof def.State !== 'function' || !(def.State.prototype instanceof Schema)) {
    fail("State must be a class made with @colyseus/schema's schema()");
  }
  if (!def.input || typeof def.input.read !== 'function' || typeof def.input.write !== 'function') fail('input must be made with defineInput()');
  if (INPUT_HEADER_BYTES + def.input.bytes > MAX_CLIENT_MESSAGE_BYTES) {
    fail(`input is ${def.input.bytes} bytes; at most ${MAX_CLIENT_MESSAGE_BYTES - INPUT_HEADER_BYTES} fit in a client message`);
  }
  if (def.events !== undefined && (typeof def.events.write !== 'function' || typeof def.events.read !== 'function')) {
    fail('events must be made with defineEvents()');
  }
  if (def.interest !== undefined) {
    const problem = interestProblem(def.interest as ModeInterest<unknown>);
    if (problem) fail(problem);
    if (def.world === undefined) fail('a mode with interest must declare its world (the spatial grid covers it)');
  }
  for (const hook of ['create', 'join', 'leave', 'tick', 'materialize'] as const) {
    const fn: unknown = def[hook];
    if (fn === undefined && (hook === 'create' || hook === 'materialize')) continue;
    if (typeof fn !== 'function') fail(`the ${hook} hook must be a function`);
    // An async hook would change state after its tick was sent, and its errors would escape the room.
    if ((fn as () => void).constructor.name === 'AsyncFunction') fail(`the ${hook} hook must be synchronous (not async)`);
  }
  return Object.freeze({ ...def });
}

/** Where the engine's history answers `ctx.positionAt` from (server/src/room/history.ts). */
export interface PositionHistory {
  readonly maxRewindTicks: number;
  positionAt(id: number, viewTick: number, currentTick: number, out: Point): Point | undefined;
}

/** Builds the context object a room passes to its hooks; `tick` advances it. */
export function createModeContext(
  tickRate: number,
  random: () => number,
  emit: (event: ModeEvent) => void = noEvents,
  history?: PositionHistory,
): ModeContext & { tick: number; timeMs: number } {
  const ctx = {
    tick: 0,
    tickRate,
    dt: 1 / tickRate,
    timeMs: 0,
    random,
    emit,
    maxRewindTicks: history?.maxRewindTicks ?? 0,
    positionAt: (id: number, viewTick: number, out: Point) => history?.positionAt(id, viewTick, ctx.tick, out),
  };
  return ctx;
}

function noEvents(event: ModeEvent): void {
  throw new Error(`emitted an event ("${String(event?.type)}") but the mode declares no events`);
}
