/**
 * The loadtest's command line: every option is declared once here, and both the parser and
 * `--help` are derived from the declarations, so the help cannot fall behind the parser.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { PRESETS, PRESET_NAMES, isPresetName, type PresetName } from './presets';
import { FIGURE_KEYS } from './report/figures';

export type DecodeMode = 'full' | 'header';
/** Whose inputs the bots send: the workload's bots (WORKLOAD.md) or a human-like trace (bot/human-script.ts). */
export type InputModel = 'workload' | 'human';

export interface LoadtestOptions {
  /** Base URL of the server (http://host:port): the first of `urls`. */
  url: string;
  /**
   * Every server (cluster node) the bots matchmake through, bot i through urls[i % n]; each bot
   * then plays wherever the answer's URL names.
   */
  urls: string[];
  preset: PresetName | undefined;
  bots: number;
  mode: string;
  /** Seconds measured, after the warm-up. */
  duration: number;
  /** Seconds from the first bot's start to the start of measurement. */
  warmup: number;
  /** Bots started per second. */
  ramp: number;
  workers: number;
  decode: DecodeMode;
  input: InputModel;
  seed: number;
  out: string | undefined;
  html: string | undefined;
  assert: string | undefined;
  quiet: boolean;
}

interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  arg?: string;
  help: string;
}

const SPECS: Record<string, OptionSpec> = {
  url: {
    type: 'string',
    arg: 'URL[,URL...]',
    help: 'server base URL (default http://127.0.0.1:3000); a comma-separated list matchmakes through each node of a cluster in turn (the bots follow the answers to whichever node owns the room)',
  },
  preset: { type: 'string', arg: PRESET_NAMES.join('|'), help: presetHelp() },
  bots: { type: 'string', arg: 'N', help: "bots (connections) to run (default 16, or the preset's)" },
  mode: { type: 'string', arg: 'NAME', help: "game mode to join (default arena; the bots play arena's workload rules)" },
  duration: { type: 'string', arg: 'S', help: 'seconds measured after the warm-up (default 30)' },
  warmup: { type: 'string', arg: 'S', help: "seconds from the first bot's start before measuring (default 5); measuring starts no earlier than 1 s after the last bot started" },
  ramp: { type: 'string', arg: 'N', help: 'bots started per second (default: all started 1.5 s before the warm-up ends, at most 200/s)' },
  workers: { type: 'string', arg: 'N', help: `worker threads running the bots (default the usable core count, here ${availableParallelism()})` },
  decode: {
    type: 'string',
    arg: 'full|header',
    help: 'full: decode every patch into a state mirror (as the browser does; default); header: read only the 6-byte patch header (tick, acked input), for capacity runs with thousands of connections',
  },
  input: {
    type: 'string',
    arg: 'workload|human',
    help: "workload: the reference workload's bots (a new direction every 500 ms, aim only when shooting; default); human: about 4 key changes a second and the aim turning a little every frame (bot/human-script.ts)",
  },
  seed: { type: 'string', arg: 'N', help: "seed of the bots' random moves and shots, so a run can be repeated (default 1)" },
  out: { type: 'string', arg: 'FILE', help: 'write the JSON report here (and the HTML report next to it, FILE with .html)' },
  html: { type: 'string', arg: 'FILE', help: 'write the HTML report (plots over time) here' },
  assert: {
    type: 'string',
    arg: 'EXPR',
    help: "comma-separated checks, e.g. 'tick.p99<5,rtt.p99<50,errors=0,patchRate>28' (operators < <= > >= = !=); exit 1 naming each that fails; keys below",
  },
  quiet: { type: 'boolean', short: 'q', help: 'no live progress line' },
  help: { type: 'boolean', short: 'h', help: 'print this help' },
};

function presetHelp(): string {
  const scales = PRESET_NAMES.map((n) => `${n} = ${PRESETS[n].bots} bots`).join(', ');
  return `a scale of the reference workload (${scales}; ${PRESETS.small.warmup} s warm-up, ${PRESETS.small.duration} s measured); options given after it override`;
}

export function helpText(): string {
  const lines = [
    'Usage: npm run loadtest -- [options]',
    '',
    "Runs bots that play through the browser's path (HTTP matchmaking, the game WebSocket, the binary",
    "protocol, schema decoding), reads the server's /metrics before, during and after, and prints every",
    'figure of the reference workload. Stops by itself within warm-up + duration + 15 s.',
    '',
    'Options:',
  ];
  for (const [name, spec] of Object.entries(SPECS)) {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.arg ? ` ${spec.arg}` : ''}`;
    lines.push(`  ${flag.padEnd(32)} ${spec.help}`);
  }
  lines.push('', '--assert keys (the final table shows each next to its figure):');
  let line = ' ';
  for (const key of FIGURE_KEYS) {
    if (line.length + key.length > 100) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${key}`;
  }
  lines.push(
    line,
    '',
    'Exit status: 0 done (and every --assert held); 1 an --assert failed; 2 the run could not be made',
    '(bad option, server unreachable, no bot could join); 3 the run was cut by its time limit.',
    '',
    "Every bot matchmakes from this machine's address, and the server limits matchmaking per address",
    '(MATCHMAKE_RATE_LIMIT, 30 per 10 s by default): start the server under test with',
    'MATCHMAKE_RATE_LIMIT=0, as npm run bench does, or refused joins show as "HTTP 429 TF_ERR_RATE_LIMITED".',
    '',
    'Example: npm run loadtest -- --url http://127.0.0.1:3000 --bots 512 --mode arena --duration 30 --warmup 5',
  );
  return lines.join('\n');
}

export class OptionsError extends Error {
  override name = 'OptionsError';
}

export type ParsedArgs = { help: true } | { help: false; options: LoadtestOptions };

export function parseOptions(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.entries(SPECS).map(([k, s]) => [k, s.short ? { type: s.type, short: s.short } : { type: s.type }])),
      allowPositionals: false,
      strict: true,
    });
    values = parsed.values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new OptionsError(`${(err as Error).message} (see --help)`);
  }
  if (values.help) return { help: true };
  return { help: false, options: resolveOptions(values as Record<string, string | undefined>) };
}

/** Applies defaults and the preset, and checks every value; throws OptionsError listing all problems. */
export function resolveOptions(v: Partial<Record<keyof LoadtestOptions, string | boolean | undefined>>): LoadtestOptions {
  const problems: string[] = [];
  const str = (k: keyof LoadtestOptions) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const num = (k: keyof LoadtestOptions, fallback: number, min: number, max: number, integer = true): number => {
    const raw = str(k);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
      problems.push(`--${k} ${JSON.stringify(raw)} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };

  let preset: PresetName | undefined;
  const presetRaw = str('preset');
  if (presetRaw !== undefined) {
    if (isPresetName(presetRaw)) preset = presetRaw;
    else problems.push(`--preset ${JSON.stringify(presetRaw)} must be one of ${PRESET_NAMES.join(', ')}`);
  }
  const base = preset ? PRESETS[preset] : { bots: 16, mode: 'arena', warmup: 5, duration: 30 };

  const urls = (str('url') ?? 'http://127.0.0.1:3000')
    .split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (urls.length === 0) problems.push('--url must name at least one server');
  for (const url of urls) {
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push(`--url ${url} must be http:// or https://`);
    } catch {
      problems.push(`--url ${JSON.stringify(url)} is not a URL`);
    }
  }
  const bots = num('bots', base.bots, 1, 100_000);
  const warmup = num('warmup', base.warmup, 0, 3600, false);
  const duration = num('duration', base.duration, 1, 86_400, false);
  // All bots started 1.5 s before the warm-up ends, so the window sees a settled server.
  const defaultRamp = Math.min(200, Math.max(1, Math.ceil(bots / Math.max(0.5, warmup - 1.5))));
  const ramp = num('ramp', defaultRamp, 0.1, 100_000, false);
  const workers = num('workers', availableParallelism(), 1, 256);
  const decode = str('decode') ?? 'full';
  if (decode !== 'full' && decode !== 'header') problems.push(`--decode ${JSON.stringify(decode)} must be full or header`);
  const input = str('input') ?? 'workload';
  if (input !== 'workload' && input !== 'human') problems.push(`--input ${JSON.stringify(input)} must be workload or human`);
  const seed = num('seed', 1, 0, 2 ** 31 - 1);
  const mode = str('mode') ?? base.mode;
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(mode)) problems.push(`--mode ${JSON.stringify(mode)} is not a mode name`);
  const out = str('out');
  const html = str('html') ?? (out ? out.replace(/\.json$/i, '') + '.html' : undefined);

  if (problems.length > 0) throw new OptionsError(problems.join('\n'));
  return {
    url: urls[0]!,
    urls,
    preset,
    bots,
    mode,
    duration,
    warmup,
    ramp,
    workers: Math.min(workers, bots),
    decode: decode as DecodeMode,
    input: input as InputModel,
    seed,
    out,
    html,
    assert: str('assert'),
    quiet: v.quiet === true,
  };
}
