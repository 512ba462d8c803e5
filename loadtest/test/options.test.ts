import { describe, expect, it } from 'vitest';
import { OptionsError, helpText, parseOptions } from '../src/options';

describe('loadtest options', () => {
  it('applies a preset, lets later options override it, and derives the ramp and the HTML path', () => {
    const p = parseOptions(['--preset', 'large', '--duration', '10', '--out', 'r/run.json', '--workers', '2']);
    expect(p.help).toBe(false);
    if (p.help) return;
    expect(p.options).toMatchObject({ preset: 'large', bots: 512, mode: 'arena', warmup: 5, duration: 10, workers: 2, html: 'r/run.html', decode: 'full', input: 'workload' });
    // 512 bots started 1.5 s before a 5 s warm-up ends.
    expect(p.options.ramp).toBe(Math.ceil(512 / 3.5));
  });

  it('lists every bad value at once', () => {
    expect(() => parseOptions(['--bots', '0', '--decode', 'some', '--preset', 'huge', '--url', 'ftp://x'])).toThrow(OptionsError);
    try {
      parseOptions(['--bots', '0', '--decode', 'some', '--preset', 'huge', '--url', 'ftp://x', '--input', 'cat']);
    } catch (err) {
      const msg = (err as Error).message;
      for (const part of ['--preset "huge"', '--url ftp://x', '--bots "0"', '--decode "some"', '--input "cat"']) expect(msg).toContain(part);
    }
    expect(() => parseOptions(['--bogus'])).toThrow(/Unknown option '--bogus'.*see --help/);
  });

  it('takes a comma-separated --url list (the nodes of a cluster), the first as `url`', () => {
    const p = parseOptions(['--url', 'http://127.0.0.1:3000/, http://127.0.0.1:3001']);
    if (p.help) throw new Error('help');
    expect(p.options.urls).toEqual(['http://127.0.0.1:3000', 'http://127.0.0.1:3001']);
    expect(p.options.url).toBe('http://127.0.0.1:3000');
    expect(() => parseOptions(['--url', 'http://a:1,ws://b:2'])).toThrow(/--url ws:\/\/b:2 must be http/);
  });

  it('documents every option in --help', () => {
    const help = helpText();
    for (const o of [
      '--url',
      '--preset',
      '--bots',
      '--mode',
      '--duration',
      '--warmup',
      '--ramp',
      '--workers',
      '--decode',
      '--input',
      '--seed',
      '--out',
      '--html',
      '--assert',
      '--quiet',
      '--help',
    ]) {
      expect(help).toContain(o);
    }
  });
});
