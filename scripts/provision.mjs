#!/usr/bin/env node
/**
 * `npm test`'s pretest: makes sure the machine has what the tests drive for real — Debian's Chromium
 * (browser tests through playwright-core, which cannot download its own browser here), redis-server
 * (cluster tests start their own), and Debian's Python 3 with websockets and pytest (the Python SDK's
 * tests). As root it apt-installs whatever is missing; otherwise it prints the exact command and fails,
 * so a newcomer is never left with a wall of skipped or timed-out tests.
 * Plain JavaScript on purpose: it runs before anything else and needs nothing installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';

const needs = [
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { pkg: 'redis-server', present: () => onPath('redis-server') },
  { pkg: 'python3-websockets', present: () => pythonHas('websockets') },
  { pkg: 'python3-pytest', present: () => pythonHas('pytest') },
];

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function pythonHas(module) {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

const missing = needs.filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
if (process.getuid?.() !== 0) {
  console.error(`The tests need Debian packages that are missing: ${missing.join(', ')}.\nInstall them with:\n  sudo sh -c '${command}'`);
  process.exit(1);
}
console.log(`pretest: installing ${missing.join(', ')} (apt-get)`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
const still = needs.filter((n) => !n.present()).map((n) => n.pkg);
if (still.length > 0) {
  console.error(`pretest: still missing after apt-get: ${still.join(', ')}`);
  process.exit(1);
}
