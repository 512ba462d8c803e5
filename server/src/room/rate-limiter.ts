/**
 * Per-connection flood control: a token bucket that lets a short burst through, drops sustained
 * excess, and asks for the connection to be closed once the excess keeps up (strikes decay at one
 * per second, so an occasional burst never adds up to a close).
 */
export type RateDecision = 'accept' | 'drop' | 'close';

export class RateLimiter {
  private tokens: number;
  private strikes = 0;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly closeAfterStrikes: number,
    now: number,
    /** Tokens at the start (default: a full burst). */
    initial = burst,
  ) {
    this.tokens = Math.min(initial, burst);
    this.last = now;
  }

  take(now: number): RateDecision {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.perSecond);
    this.strikes = Math.max(0, this.strikes - elapsed);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'accept';
    }
    this.strikes += 1;
    return this.strikes > this.closeAfterStrikes ? 'close' : 'drop';
  }
}
