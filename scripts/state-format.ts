/**
 * `npm run docs:state-format`: regenerates the generated parts of docs/state-format.md — every
 * registered mode's field table (from the mode definitions' schema metadata) and the worked
 * examples (a real WELCOME and real PATCHes from an arena harness room, explained byte by byte).
 * The prose around them is written by hand in the doc; only the marked regions are rewritten.
 * `shared/src/protocol/state-format.test.ts` fails when the committed doc differs from this output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHarness } from '@tickforge/server/harness';
import {
  PATCH_HEADER_BYTES,
  ServerMessage,
  describeState,
  encodePatch,
  encodeWelcome,
  EVENTS_FLAG,
  patchBodyWithEvents,
  modes,
  typeLabel,
  type ModeDefinition,
  type ServerMessageDecoded,
  type StateField,
} from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { stateAnnotator, type ByteRow } from './state-annotate';

export const DOC_PATH = fileURLToPath(new URL('../docs/state-format.md', import.meta.url));

/** The doc with its generated regions rewritten. Throws if a region's markers are missing. */
export function renderStateFormat(doc: string): string {
  return replaceRegion(replaceRegion(doc, 'field-tables', fieldTables(modes)), 'worked-example', workedExample());
}

function replaceRegion(doc: string, name: string, body: string): string {
  const begin = `<!-- BEGIN GENERATED ${name} (npm run docs:state-format) -->`;
  const end = `<!-- END GENERATED ${name} -->`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`docs/state-format.md lacks the markers of the "${name}" region`);
  return `${doc.slice(0, i + begin.length)}\n${body.trimEnd()}\n${doc.slice(j)}`;
}

function fieldTables(list: readonly ModeDefinition<any, any>[]): string {
  const out: string[] = [];
  for (const mode of list) {
    const format = describeState(mode.State);
    out.push(`### ${mode.name}`, '');
    out.push(`Root class \`${format.root}\` (refId 0).${mode.world ? ` World ${mode.world.width} × ${mode.world.height} units.` : ''}`, '');
    for (const cls of format.classes) {
      out.push(`\`${cls.name}\``, '', '| index | field | wire type | bytes | scale |', '|---|---|---|---|---|');
      for (const f of cls.fields) out.push(`| ${f.index} | \`${f.name}\` | ${typeLabel(f.type)} | ${bytesOf(f)} | ${scaleOf(f)} |`);
      out.push('');
    }
  }
  return out.join('\n');
}

const FIXED: Record<string, string> = { boolean: '1', int8: '1', uint8: '1', int16: '2', uint16: '2', int32: '4', uint32: '4', float32: '4', float64: '8' };

function bytesOf(f: StateField): string {
  const t = f.type;
  if (t.kind === 'primitive') return t.wire === 'string' ? '1–5 + UTF-8' : t.wire === 'number' ? '1–9' : (FIXED[t.wire] ?? '8');
  if (t.kind === 'quantized') return String(t.scale.bits / 8);
  return 'refId (varint)';
}

function scaleOf(f: StateField): string {
  const t = f.type;
  if (t.kind !== 'quantized') return '';
  const s = t.scale;
  const range = `${num(s.min)}..${num(s.max)}`;
  return s.wrap
    ? `value = q × 2π / ${s.span} (wraps; step ${num(s.step)} rad)`.replace('2π', num(s.max - s.min) === num(Math.PI * 2) ? '2π' : num(s.max - s.min))
    : `value = ${s.min === 0 ? '' : `${num(s.min)} + `}q × ${num(s.max - s.min)} / ${s.span} (clamped to ${range}; step ${num(s.step)})`;
}

function num(v: number): string {
  return String(Math.round(v * 1e9) / 1e9);
}

/** The arena scene the examples show: alice joins; the next tick she walks right and fires. */
function workedExample(): string {
  const h = createHarness(arena, { seed: 1 });
  const alice = h.join('alice');
  h.step();
  alice.input({ dx: 1, dy: 0, aim: 0, fire: true });
  h.step();
  h.step(40); // the shot flies out of its lifetime and goes: a DELETE
  const welcome = alice.received.find((m) => m.type === ServerMessage.WELCOME)!;
  const patches = alice.received.filter((m): m is Extract<ServerMessageDecoded, { tick: number; ack: number }> => m.type === ServerMessage.PATCH);
  const move = patches[0]!;
  const gone = patches.find((p) => p.state.length > 0 && p !== move)!;
  h.dispose();
  if (welcome.type !== ServerMessage.WELCOME) throw new Error('scene: no WELCOME');
  const annotate = stateAnnotator(describeState(arena.State));

  const welcomeBytes = encodeWelcome(welcome);
  const stateAt = welcomeBytes.length - welcome.state.length;
  const header: ByteRow[] = [];
  let at = 0;
  const h8 = (n: number, note: string) => {
    header.push({ at, bytes: [...welcomeBytes.subarray(at, at + n)], note });
    at += n;
  };
  h8(1, 'type 0x01 WELCOME');
  h8(1, `protocol version ${welcome.protocolVersion}`);
  h8(2, `u16 player id ${welcome.playerId}`);
  h8(1, `u8 tick rate ${welcome.tickRate}`);
  h8(4, `u32 tick ${welcome.tick}`);
  h8(8, `f64 server time ${welcome.serverTime} ms`);
  h8(1 + welcome.mode.length, `str8 mode ${JSON.stringify(welcome.mode)}`);
  h8(1 + welcome.roomId.length, `str8 room id ${JSON.stringify(welcome.roomId)}`);
  h8(1, 'str8 reconnect token "" (the harness offers no reconnection; a server sends ~100 characters here)');
  if (at !== stateAt) throw new Error('welcome header');

  const patchRows = (p: { tick: number; ack: number; bufferOffsetMs: number; state: Uint8Array }): ByteRow[] => {
    const bytes = encodePatch(p.tick, p.ack, p.state, ServerMessage.PATCH, p.bufferOffsetMs);
    return [
      { at: 0, bytes: [bytes[0]!], note: 'type 0x02 PATCH' },
      { at: 1, bytes: [...bytes.subarray(1, 3)], note: `u16 tick ${p.tick} (mod 65536)` },
      { at: 3, bytes: [...bytes.subarray(3, 5)], note: `u16 ack ${p.ack} (mod 65536)` },
      { at: 5, bytes: [bytes[5]!], note: `i8 input-buffer offset ${p.bufferOffsetMs} ms` },
      ...annotate(p.state, PATCH_HEADER_BYTES),
    ];
  };
  const welcomeRows = [...header, ...annotate(welcome.state, stateAt)];
  const moveRows = patchRows(move);
  const goneRows = patchRows(gone);
  return [
    `**WELCOME** to alice, the first player of a room (${welcomeBytes.length} bytes, ${welcome.state.length} of them state):`,
    '',
    table(welcomeRows),
    '',
    `**PATCH** of tick ${move.tick}: alice walked right (x grew by 200/30 units) and fired at aim 0, so a projectile spawned (${PATCH_HEADER_BYTES + move.state.length} bytes):`,
    '',
    table(moveRows),
    '',
    `**PATCH** of tick ${gone.tick}: the shot reached its lifetime and went (${PATCH_HEADER_BYTES + gone.state.length} bytes):`,
    '',
    table(goneRows),
    '',
    `Every tick in between sent the ${PATCH_HEADER_BYTES}-byte header alone: nothing changed.`,
    '',
    killExample(),
  ].join('\n');
}

/** A PATCH with events (0x82): bob, one hit from death beside alice, is killed by her first shot. */
function killExample(): string {
  const h = createHarness(arena, { seed: 1 });
  const alice = h.join('alice');
  const bob = h.join('bob');
  h.step();
  const annotate = stateAnnotator(describeState(arena.State));
  const welcome = alice.received.find((m) => m.type === ServerMessage.WELCOME)!;
  if (welcome.type !== ServerMessage.WELCOME) throw new Error('scene: no WELCOME');
  annotate(welcome.state);
  const a = h.state.players.get(String(alice.id))!;
  const b = h.state.players.get(String(bob.id))!;
  Object.assign(a, { x: 1000, y: 1000 });
  Object.assign(b, { x: 1010, y: 1000, hp: 10 });
  h.step();
  alice.input({ dx: 0, dy: 0, aim: 0, fire: true });
  h.step();
  const patches = alice.received.filter((m): m is Extract<ServerMessageDecoded, { tick: number; ack: number }> => m.type === ServerMessage.PATCH);
  annotate(patches.at(-2)!.state);
  const kill = patches.at(-1)!;
  h.dispose();
  if (!kill.events) throw new Error('scene: the kill sent no events');
  const body = patchBodyWithEvents(kill.events, kill.state);
  const bytes = encodePatch(kill.tick, kill.ack, body, ServerMessage.PATCH | EVENTS_FLAG, kill.bufferOffsetMs);
  const rows: ByteRow[] = [
    { at: 0, bytes: [bytes[0]!], note: 'type 0x82: PATCH (0x02) with EVENTS_FLAG (0x80)' },
    { at: 1, bytes: [...bytes.subarray(1, 3)], note: `u16 tick ${kill.tick} (mod 65536)` },
    { at: 3, bytes: [...bytes.subarray(3, 5)], note: `u16 ack ${kill.ack} (mod 65536)` },
    { at: 5, bytes: [bytes[5]!], note: `i8 input-buffer offset ${kill.bufferOffsetMs} ms` },
    { at: PATCH_HEADER_BYTES, bytes: [...bytes.subarray(PATCH_HEADER_BYTES, PATCH_HEADER_BYTES + 2)], note: `u16 events length ${kill.events.length}` },
  ];
  let at = PATCH_HEADER_BYTES + 2;
  const types = arena.events!.types;
  for (let i = 0; i < kill.events.length;) {
    const type = types[kill.events[i]!]!;
    rows.push({ at, bytes: [kill.events[i]!], note: `event type ${kill.events[i]} (${type})` });
    at++;
    i++;
    for (const [name, f] of arena.events!.fields[type]!) {
      const v = kill.events.subarray(i, i + f.bytes);
      rows.push({ at, bytes: [...v], note: `  ${f.kind} ${name} ${le(v)}` });
      at += f.bytes;
      i += f.bytes;
    }
  }
  rows.push(...annotate(kill.state, at));
  return [
    `**PATCH with events** of tick ${kill.tick}, another room: bob stood 10 units from alice with 10 hp; her first shot hit him on its spawn tick. The kill rides as an event; the state shows his respawn and her score, and the projectile's DELETE without its ADD (it never reached a patch: §4) (${bytes.length} bytes):`,
    '',
    table(rows),
  ].join('\n');
}

function le(b: Uint8Array): number {
  return b.reduceRight((n, x) => n * 256 + x, 0);
}

function table(rows: ByteRow[]): string {
  const out = ['| offset | bytes | meaning |', '|---|---|---|'];
  for (const r of rows) out.push(`| ${r.at} | \`${r.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}\` | ${r.note.replace(/\|/g, '\\|')} |`);
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const before = readFileSync(DOC_PATH, 'utf8');
  const after = renderStateFormat(before);
  writeFileSync(DOC_PATH, after);
  console.log(after === before ? 'docs/state-format.md is up to date' : 'docs/state-format.md regenerated');
}
