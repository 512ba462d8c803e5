import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.tickRateOverride).toBeUndefined();
    expect(c.seatSecret.length).toBeGreaterThanOrEqual(32); // generated at boot
    expect(loadConfig({}).seatSecret).not.toBe(c.seatSecret);
  });

  it('reads the environment', () => {
    const c = loadConfig({ PORT: '0', HOST: '0.0.0.0', TICK_RATE: '60', SEAT_SECRET: 's'.repeat(16), LOG_LEVEL: 'warn' });
    expect(c).toMatchObject({ port: 0, host: '0.0.0.0', tickRateOverride: 60, seatSecret: 's'.repeat(16), logLevel: 'warn' });
  });

  it('reports every bad variable at once, by name', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', TICK_RATE: '0', SEAT_SECRET: 'short', LOG_LEVEL: 'loud', MAX_ROOMS: '-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'TICK_RATE', 'SEAT_SECRET', 'LOG_LEVEL', 'MAX_ROOMS']) expect(problems).toContain(name);
  });

  it('takes PUBLIC_URL as an http(s) origin and refuses anything else', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://game.example.com/' }).publicUrl).toBe('https://game.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).publicUrl).toBe('http://localhost:3000');
    for (const bad of ['game.example.com', 'ftp://game.example.com', 'https://game.example.com/play', 'wss://game.example.com']) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });
});
