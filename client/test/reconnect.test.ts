import { describe, expect, it } from 'vitest';
import { describeProgress, reconnect, shouldReconnect, type ReconnectProgress, type StepResult } from '../src/net/reconnect';

/** Steps that answer from scripts and record what the player was shown; sleeping is instant. */
function script(resume: StepResult[], rejoin: StepResult[] = []) {
  const shown: string[] = [];
  const calls: string[] = [];
  let slept = 0;
  let cancel = false;
  return {
    shown,
    calls,
    slept: () => slept,
    cancelAfter: (n: number) => {
      const orig = shown.push.bind(shown);
      shown.push = (...s: string[]) => {
        const r = orig(...s);
        if (shown.length >= n) cancel = true;
        return r;
      };
    },
    steps: {
      resume: async () => (calls.push('resume'), resume.shift() ?? 'unreachable'),
      rejoin: async () => (calls.push('rejoin'), rejoin.shift() ?? 'unreachable'),
      progress: (p: ReconnectProgress) => shown.push(describeProgress(p)),
      sleep: async (ms: number) => void (slept += ms),
      cancelled: () => cancel,
    },
  };
}

describe('reconnect', () => {
  it('retries only a connection that died without a reason', () => {
    expect(shouldReconnect(1006)).toBe(true);
    expect(shouldReconnect(1005)).toBe(true);
    for (const code of [1000, 1001, 1008, 1011, 4001, 4004, 4011, 4012]) expect(shouldReconnect(code)).toBe(false);
  });

  it('comes back with the token at once when the server answers', async () => {
    const s = script(['ok']);
    expect(await reconnect(s.steps, true)).toBe('ok');
    expect(s.calls).toEqual(['resume']);
    expect(s.shown).toEqual(['Attempt 1 of 5: reconnecting to your seat…']);
  });

  it('backs off 1, 2, 4 s while the server is unreachable, saying so and counting down', async () => {
    const s = script(['unreachable', 'unreachable', 'unreachable', 'ok']);
    expect(await reconnect(s.steps, true)).toBe('ok');
    expect(s.slept()).toBe(7000);
    expect(s.shown).toContain('Attempt 2 of 5 in 1 s (the server did not answer)…');
    expect(s.shown).toContain('Attempt 4 of 5 in 4 s (the server did not answer)…');
    expect(s.shown).toContain('Attempt 4 of 5 in 1 s (the server did not answer)…');
    expect(s.shown.at(-1)).toBe('Attempt 4 of 5: reconnecting to your seat (the server did not answer)…');
  });

  it('asks for a new seat once the server refuses the token, and keeps to seats after that', async () => {
    const s = script(['refused'], ['unreachable', 'ok']);
    expect(await reconnect(s.steps, true)).toBe('ok');
    expect(s.calls).toEqual(['resume', 'rejoin', 'rejoin']);
    expect(s.shown).toContain('Attempt 1 of 5: asking the server for a new seat (the server no longer holds your seat)…');
  });

  it('gives up after the last attempt, or at once on a definitive refusal, or when the player cancels', async () => {
    const a = script([]);
    expect(await reconnect(a.steps, true)).toBe('gave-up');
    expect(a.calls).toHaveLength(5);
    expect(a.slept()).toBe(15_000);
    const b = script([], ['refused']);
    expect(await reconnect(b.steps, false)).toBe('gave-up');
    expect(b.calls).toEqual(['rejoin']);
    const c = script([]);
    c.cancelAfter(3);
    expect(await reconnect(c.steps, true)).toBe('cancelled');
    expect(c.calls).toEqual(['resume']);
  });
});
