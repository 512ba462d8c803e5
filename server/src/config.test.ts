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

  it('makes a cluster node of REDIS_URL, which needs the shared SEAT_SECRET and its PUBLIC_URL', () => {
    expect(loadConfig({})).toMatchObject({ redisUrl: undefined, drainTimeoutSeconds: 0 });
    const node = loadConfig({ REDIS_URL: 'redis://10.0.0.5:6379', SEAT_SECRET: 's'.repeat(16), PUBLIC_URL: 'https://eu1.game.example.com', NODE_ID: 'eu1-a' });
    expect(node).toMatchObject({ redisUrl: 'redis://10.0.0.5:6379', redisPrefix: 'tf', nodeId: 'eu1-a', drainTimeoutSeconds: 30 });
    expect(() => loadConfig({ REDIS_URL: 'redis://r:6379' })).toThrow(/SEAT_SECRET must be set[\s\S]*PUBLIC_URL must be set/);
    expect(() => loadConfig({ REDIS_URL: 'http://r', SEAT_SECRET: 's'.repeat(16), PUBLIC_URL: 'http://a:1', NODE_ID: 'bad id' })).toThrow(/REDIS_URL[\s\S]*NODE_ID/);
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
