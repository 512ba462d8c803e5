/**
 * `npm run new-mode -- <name>`: scaffolds a game mode that compiles, is registered, passes its
 * generated test and is playable at once. It writes shared/src/modes/<name>/ (index, state, rules,
 * input and a harness test) and adds the registration line to shared/src/modes/index.ts. It never
 * overwrites anything. docs/game-modes.md is the guide.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMPLATE_IDENTIFIERS, modeFiles, type ModeNames } from './mode-templates';

const USAGE = `Usage: npm run new-mode -- <name>

Creates shared/src/modes/<name>/ with index.ts, state.ts, rules.ts, input.ts and <name>.test.ts,
and registers the mode in shared/src/modes/index.ts. The new mode is playable at once: players
walk around a square world. Then edit its rules and run its test:

  npx vitest run shared/src/modes/<name>

<name>: lower case, starts with a letter, letters, digits and single dashes, at most 32
characters (it is the mode's id in matchmaking and URLs), e.g. "capture-flag".
Refuses to overwrite an existing mode. Guide: docs/game-modes.md`;

/** As defineMode requires, minus dashes at the end or doubled (they make no identifier). */
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await async of arguments eval undefined'
  ).split(' '),
);

export function namesFor(name: string): ModeNames | { error: string } {
  if (!NAME.test(name) || name.length > 32) {
    return { error: `"${name}" is not a valid mode name: use lower case letters, digits and single dashes, starting with a letter, at most 32 characters` };
  }
  const parts = name.split('-');
  const camel =
    parts[0] +
    parts
      .slice(1)
      .map((p) => p[0]!.toUpperCase() + p.slice(1))
      .join('');
  const pascal = camel[0]!.toUpperCase() + camel.slice(1);
  if (RESERVED.has(camel) || TEMPLATE_IDENTIFIERS.includes(camel)) return { error: `"${name}" would make the export "${camel}", a reserved name; pick another` };
  const title = parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join(' ');
  return { name, camel, pascal, title };
}

/** Writes the mode under `root` (the repository). Returns the files written, relative to `root`. */
export function scaffold(root: string, names: ModeNames): string[] {
  const modesDir = join(root, 'shared/src/modes');
  const registry = join(modesDir, 'index.ts');
  const dir = join(modesDir, names.name);
  if (existsSync(dir)) throw new ScaffoldError(`${relative(root, dir)} already exists; pick another name (nothing was changed)`);
  const line = `export { ${names.camel} } from './${names.name}';`;
  const registered = readFileSync(registry, 'utf8');
  if (new RegExp(`\\bexport\\s*\\{\\s*${names.camel}\\b`).test(registered) || registered.includes(`'./${names.name}'`)) {
    throw new ScaffoldError(`shared/src/modes/index.ts already registers "${names.camel}" or './${names.name}' (nothing was changed)`);
  }
  mkdirSync(dir);
  const written: string[] = [];
  try {
    for (const [file, text] of Object.entries(modeFiles(names))) {
      writeFileSync(join(dir, file), text, { flag: 'wx' });
      written.push(relative(root, join(dir, file)));
    }
    writeFileSync(registry, registered.replace(/\n*$/, '\n') + line + '\n');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true }); // leave nothing half-made
    throw err;
  }
  return [...written, relative(root, registry)];
}

export class ScaffoldError extends Error {}

function main(argv: string[]): number {
  const args = argv.filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const names = namesFor(args[0]!);
  if ('error' in names) {
    console.error(`new-mode: ${names.error}`);
    return 1;
  }
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    const files = scaffold(root, names);
    const registry = files.pop()!;
    console.log(`Created mode "${names.name}" (${names.title}):\n${files.map((f) => `  ${f}`).join('\n')}\nRegistered it in ${registry}.`);
    const test = `npx vitest run shared/src/modes/${names.name}`;
    console.log(`\nNext:\n  ${test}   # its test\n  ${'npm start'.padEnd(test.length)}   # play it: pick "${names.title}"\nGuide: docs/game-modes.md`);
    return 0;
  } catch (err) {
    console.error(`new-mode: ${err instanceof ScaffoldError ? err.message : String(err)}`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
