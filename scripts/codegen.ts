/**
 * `npm run codegen -- --lang <csharp|ts|python> --out <dir> [--mode <name>]`: client-side state
 * classes for other languages, from the modes' field tables (shared/src/protocol/state-format.ts).
 *
 * @colyseus/schema's own `schema-codegen` reads TypeScript source statically, so a field made by a
 * function such as our `coordField(size, gridMax)` comes out as `undefined` (it cannot evaluate
 * the call). This script writes each mode's state as a plain source of literal field types
 * (`t.quantized({ min: 0, max: 2184.5, bits: 16 })`) and runs schema-codegen on that: C# and
 * TypeScript classes with the right wire types and scales. schema-codegen has no Python target, so
 * for Python it emits dataclasses itself, each with the field table for tickforge.state.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeState, modes, typeLabel, type ModeDefinition, type StateFieldType, type StateFormat } from '@tickforge/shared';

const USAGE = `Usage: npm run codegen -- --lang <csharp|ts|python> --out <dir> [--mode <name>] [--namespace <ns>]

Writes the client-side state classes of every registered mode (or of --mode) into <dir>:
  csharp, ts   through @colyseus/schema's schema-codegen, one file per class, with our custom
               field types (coordField) expressed as the quantized fields they are;
  python       one module per mode (<mode>_state.py): dataclasses, each field's wire type and
               scale in a comment, and STATE_FORMAT, the field table tickforge.state decodes with.
The field tables are the ones of docs/state-format.md and GET /api/modes.`;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LANGS = ['csharp', 'ts', 'python'] as const;
type Lang = (typeof LANGS)[number];

/** A schema source schema-codegen can read: every field type a literal, children declared first. */
export function schemaSource(format: StateFormat): string {
  const lines = ["import { schema, t } from '@colyseus/schema';", ''];
  for (const cls of [...format.classes].reverse()) {
    const fields = cls.fields.map((f) => `  ${f.name}: ${literalType(f.type)},`);
    lines.push(`export const ${cls.name} = schema({`, ...fields, `}, '${cls.name}');`, '');
  }
  return lines.join('\n');
}

function literalType(t: StateFieldType): string {
  switch (t.kind) {
    case 'primitive':
      return `t.${t.wire}()`;
    case 'quantized': {
      const s = t.scale;
      return `t.quantized({ min: ${s.min}, max: ${s.max}, bits: ${s.bits}${s.wrap ? ", mode: 'wrap'" : ''} })`;
    }
    case 'ref':
      return t.schema;
    default:
      return `t.${t.kind}(${'schema' in t.of ? t.of.schema : `'${t.of.wire}'`})`;
  }
}

/** Runs schema-codegen for `lang` on the modes' normalised sources; returns the files written. */
export function generateWithSchemaCodegen(lang: 'csharp' | 'ts', list: readonly ModeDefinition<any, any>[], out: string, namespace?: string): string[] {
  // The sources must resolve '@colyseus/schema', so they live under the repository.
  const scratch = mkdtempSync(join(ROOT, 'node_modules', '.tickforge-codegen-'));
  try {
    const files = list.map((m) => {
      const file = join(scratch, `${m.name}.ts`);
      writeFileSync(file, schemaSource(describeState(m.State)));
      return file;
    });
    mkdirSync(out, { recursive: true });
    const bin = join(ROOT, 'node_modules', '.bin', 'schema-codegen');
    const args = [...files, `--${lang}`, '--output', out, ...(namespace ? ['--namespace', namespace] : [])];
    const run = spawnSync(bin, args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`schema-codegen failed: ${run.stderr || run.stdout}`);
    return readdirSync(out).map((f) => join(out, f));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const PY_TYPES: Record<string, string> = { string: 'str', boolean: 'bool', number: 'float', float32: 'float', float64: 'float' };

function pyType(t: StateFieldType): string {
  switch (t.kind) {
    case 'primitive':
      return PY_TYPES[t.wire] ?? 'int';
    case 'quantized':
      return 'float';
    case 'ref':
      return `"${t.schema}"`;
    default:
      return `dict[str, ${'schema' in t.of ? `"${t.of.schema}"` : (PY_TYPES[t.of.wire] ?? 'int')}]`;
  }
}

function pyComment(t: StateFieldType): string {
  if (t.kind !== 'quantized') return typeLabel(t);
  const s = t.scale;
  return `${typeLabel(t)}: value = ${s.min} + q * ${s.max - s.min} / ${s.span} (${s.wrap ? 'wraps' : 'clamped'}; step ${s.step})`;
}

/** One Python module for a mode: dataclasses built from decoded `tickforge.state.Struct`s, and the table. */
export function pythonModule(mode: ModeDefinition<any, any>): string {
  const format = describeState(mode.State);
  const out = [
    `"""State classes of the "${mode.name}" mode, generated by \`npm run codegen -- --lang python\` from its`,
    'field table (docs/state-format.md). Do not edit: regenerate.',
    '',
    `    decoder = StateDecoder(STATE_FORMAT)   # or the "state" of GET /api/modes`,
    `    state = ${format.root}.from_state(decoder.state)`,
    '"""',
    'from __future__ import annotations',
    '',
    'import json',
    'from dataclasses import dataclass, field',
    'from typing import Any',
    '',
    `STATE_FORMAT: dict[str, Any] = json.loads(${JSON.stringify(JSON.stringify(format))})`,
    '',
  ];
  for (const cls of [...format.classes].reverse()) {
    out.push('', '@dataclass', `class ${cls.name}:`);
    for (const f of cls.fields) {
      const isMap = f.type.kind !== 'primitive' && f.type.kind !== 'quantized' && f.type.kind !== 'ref';
      out.push(`    #: index ${f.index}, ${pyComment(f.type)}`);
      out.push(isMap ? `    ${f.name}: ${pyType(f.type)} = field(default_factory=dict)` : `    ${f.name}: ${pyType(f.type)} | None = None`);
    }
    out.push('', '    @classmethod', `    def from_state(cls, s: Any) -> "${cls.name}":`, '        """From a decoded tickforge.state.Struct."""', '        v = s.values', '        return cls(');
    for (const f of cls.fields) {
      const t = f.type;
      const expr =
        t.kind === 'ref'
          ? `${t.schema}.from_state(v["${f.name}"]) if "${f.name}" in v else None`
          : t.kind === 'primitive' || t.kind === 'quantized'
            ? `v.get("${f.name}")`
            : 'schema' in t.of
              ? `{k: ${t.of.schema}.from_state(c) for k, c in v.get("${f.name}", {}).items()}`
              : `dict(v.get("${f.name}", {}))`;
      out.push(`            ${f.name}=${expr},`);
    }
    out.push('        )');
  }
  return out.join('\n') + '\n';
}

export function generate(lang: Lang, out: string, only?: string, namespace?: string): string[] {
  const list = only ? modes.filter((m) => m.name === only) : modes;
  if (list.length === 0) throw new Error(`no mode named "${only}"`);
  if (lang !== 'python') return generateWithSchemaCodegen(lang, list, out, namespace);
  mkdirSync(out, { recursive: true });
  return list.map((m) => {
    const file = join(out, `${m.name.replace(/-/g, '_')}_state.py`);
    writeFileSync(file, pythonModule(m));
    return file;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const lang = opt('lang') as Lang | undefined;
  const out = opt('out');
  if (args.includes('--help') || !lang || !out || !LANGS.includes(lang)) {
    console.log(USAGE);
    process.exit(args.includes('--help') ? 0 : 2);
  }
  for (const f of generate(lang, resolve(out), opt('mode'), opt('namespace'))) console.log(`wrote ${f}`);
}
