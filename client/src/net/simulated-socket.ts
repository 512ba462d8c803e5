/**
 * A WebSocket seen through simulated network conditions: what the game sends waits on the upstream
 * delay line, what arrives waits on the downstream one (and the close event waits behind the
 * messages before it). It has the SocketLike shape GameClient expects, so nothing else knows.
 */
import type { SocketLike } from '@tickforge/shared';
import { DelayLine, StallSchedule, browserTimers, type Timers } from './delay-line';
import type { NetworkConditions } from './network-conditions';

export class SimulatedSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  private readonly up: DelayLine;
  private readonly down: DelayLine;

  constructor(
    private readonly inner: WebSocket,
    conditions: NetworkConditions,
    random: () => number = Math.random,
    timers: Timers = browserTimers,
  ) {
    const stalls = conditions.spikeMs > 0 ? new StallSchedule(conditions.spikeMs, conditions.spikeEveryMs, random, timers.now()) : undefined;
    const oneWay = conditions.lagMs / 2;
    this.up = new DelayLine(oneWay, conditions.jitterMs, stalls, random, timers);
    this.down = new DelayLine(oneWay, conditions.jitterMs, stalls, random, timers);
    inner.onopen = (ev) => this.onopen?.(ev);
    inner.onerror = (ev) => this.onerror?.(ev);
    inner.onmessage = (ev) => this.down.push(() => this.onmessage?.(ev));
    inner.onclose = (ev) => {
      this.up.close();
      this.down.push(() => this.onclose?.({ code: ev.code, reason: ev.reason }));
    };
  }

  get binaryType(): string {
    return this.inner.binaryType;
  }
  set binaryType(v: string) {
    this.inner.binaryType = v as BinaryType;
  }
  get readyState(): number {
    return this.inner.readyState;
  }

  send(data: Uint8Array): void {
    this.up.push(() => {
      if (this.inner.readyState === WebSocket.OPEN) this.inner.send(data as Uint8Array<ArrayBuffer>);
    });
  }

  close(code?: number, reason?: string): void {
    this.up.close();
    this.inner.close(code, reason);
  }
}
