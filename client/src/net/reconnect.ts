/**
 * What the client does when the game socket drops without a word (1006: the network went away, or
 * the server died): it tries to come back by itself and says at every moment what it is doing.
 *
 * Each attempt first presents the reconnect token of the last welcome (back as the same player,
 * same score, while the server holds the seat: RECONNECT_GRACE_SECONDS, 20 s by default); once the
 * server has refused the token (the grace ran out, the room is gone), it asks the matchmaker for a
 * new seat in the same room (or the same mode). Attempts are spaced 0, 1, 2, 4, 8 s apart, 15 s in
 * all, inside the default grace. After the last one the player gets the manual choice (Rejoin or
 * the lobby), as after any other close.
 *
 * A close the server explained (a refusal, a kick, a shutdown) is not retried: main.ts shows why.
 */

export type StepResult = 'ok' | 'refused' | 'unreachable';

export interface ReconnectProgress {
  attempt: number;
  of: number;
  /** `resuming`: presenting the reconnect token; `seating`: asking for a new seat; `waiting`: before the next attempt. */
  doing: 'resuming' | 'seating' | 'waiting';
  /** While waiting: ms until the next attempt. */
  waitMs: number;
  /** Why the previous attempt failed, for the player. */
  lastFailure: string;
}

export interface ReconnectSteps {
  /** Back into the room with the reconnect token. */
  resume(): Promise<StepResult>;
  /** A new seat (same room, else same mode) and into it. */
  rejoin(): Promise<StepResult>;
  progress(p: ReconnectProgress): void;
  sleep(ms: number): Promise<void>;
  /** The player gave up waiting (Back to lobby). */
  cancelled(): boolean;
}

export const RECONNECT_DELAYS_MS = [0, 1000, 2000, 4000, 8000];

/** Close codes after which the client reconnects by itself: the connection died without a reason. */
export function shouldReconnect(code: number): boolean {
  return code === 1006 || code === 1005;
}

export async function reconnect(steps: ReconnectSteps, hasToken: boolean, delays = RECONNECT_DELAYS_MS): Promise<'ok' | 'gave-up' | 'cancelled'> {
  let useToken = hasToken;
  let lastFailure = '';
  const of = delays.length;
  for (let i = 0; i < of; i++) {
    const attempt = i + 1;
    for (let left = delays[i]!; left > 0; left -= 250) {
      steps.progress({ attempt, of, doing: 'waiting', waitMs: left, lastFailure });
      await steps.sleep(Math.min(250, left));
      if (steps.cancelled()) return 'cancelled';
    }
    steps.progress({ attempt, of, doing: useToken ? 'resuming' : 'seating', waitMs: 0, lastFailure });
    const result = useToken ? await steps.resume() : await steps.rejoin();
    if (steps.cancelled()) return 'cancelled';
    if (result === 'ok') return 'ok';
    if (result === 'refused' && useToken) {
      // The server no longer holds the seat: a new one, at once.
      useToken = false;
      lastFailure = 'the server no longer holds your seat';
      steps.progress({ attempt, of, doing: 'seating', waitMs: 0, lastFailure });
      const again = await steps.rejoin();
      if (steps.cancelled()) return 'cancelled';
      if (again === 'ok') return 'ok';
      if (again === 'refused') return 'gave-up';
    } else if (result === 'refused') {
      return 'gave-up';
    }
    lastFailure = 'the server did not answer';
  }
  return 'gave-up';
}

/** The progress as a sentence for the player. */
export function describeProgress(p: ReconnectProgress): string {
  const n = `Attempt ${p.attempt} of ${p.of}`;
  const why = p.lastFailure ? ` (${p.lastFailure})` : '';
  switch (p.doing) {
    case 'waiting':
      return `${n} in ${Math.ceil(p.waitMs / 1000)} s${why}…`;
    case 'resuming':
      return `${n}: reconnecting to your seat${why}…`;
    case 'seating':
      return `${n}: asking the server for a new seat${why}…`;
  }
}
