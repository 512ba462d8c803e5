/**
 * The fuzzer's frame generator: from a seed, a stream of what a broken or hostile client might send
 * on the game socket: valid INPUT/PING/CHAT frames, mutations of them (bit flips, byte swaps,
 * truncation, extension, NaN/Inf floats, sequence numbers that go back or jump, foreign type
 * bytes), random bytes, text frames (valid and invalid UTF-8), oversized frames, LEAVE with and
 * without a body, fragmented messages and control pings. Pure: the same seed gives the same frames.
 */
import { ClientMessage, MAX_CLIENT_MESSAGE_BYTES, encodeChat, encodeInput, encodeLeave, encodePing, seededRandom } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';

/** One thing to send: a binary or text message (possibly in fragments), or a WebSocket ping. */
export type FuzzFrame =
  | { kind: 'binary'; data: Uint8Array; label: string }
  | { kind: 'text'; data: Uint8Array; label: string }
  | { kind: 'fragments'; parts: Uint8Array[]; label: string }
  | { kind: 'ping'; data: Uint8Array; label: string };

/** Per connection: 'blaster' sends half hostile frames; 'creeper' sends mostly valid ones, so it runs into rate limits and late mutations. */
export type Personality = 'blaster' | 'creeper';

const FLOATS = [NaN, Infinity, -Infinity, 1e30, -1e30, 3.4e38, Number.MIN_VALUE, -0];

export class FrameSource {
  private readonly rnd: () => number;
  private seq = 0;

  constructor(
    seed: number,
    readonly personality: Personality,
  ) {
    this.rnd = seededRandom(seed);
  }

  /** How many frames this connection sends before it waits for the server's verdict. */
  batchSize(): number {
    return this.personality === 'blaster' ? 1 + this.int(200) : 50 + this.int(250);
  }

  next(): FuzzFrame {
    const hostileShare = this.personality === 'blaster' ? 0.5 : 0.03;
    return this.rnd() < hostileShare ? this.hostile() : this.valid();
  }

  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  private bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }

  private validInput(): Uint8Array {
    this.seq++;
    return encodeInput(arena.input, this.seq, {
      dx: this.int(3) - 1,
      dy: this.int(3) - 1,
      aim: (this.rnd() - 0.5) * 20,
      fire: this.rnd() < 0.3,
    });
  }

  private valid(): FuzzFrame {
    const r = this.rnd();
    if (r < 0.8) return { kind: 'binary', data: this.validInput(), label: 'valid input' };
    if (r < 0.92) return { kind: 'binary', data: encodePing(this.rnd() * 1e6), label: 'valid ping' };
    return { kind: 'binary', data: encodeChat(`fuzz ${this.int(1e6)}`), label: 'valid chat' };
  }

  private hostile(): FuzzFrame {
    switch (this.int(12)) {
      case 0:
      case 1:
      case 2:
        return this.mutated();
      case 3: {
        const b = this.validInput();
        new DataView(b.buffer).setFloat32(9, this.pick(FLOATS), true); // aim
        return { kind: 'binary', data: b, label: 'input with a bad float' };
      }
      case 4: {
        const b = this.validInput();
        const seq = this.pick([0, this.seq - 1, this.seq - 2, this.seq + 1025, this.seq + 1e6, 0xffffffff]);
        new DataView(b.buffer).setUint32(1, Math.max(0, seq) >>> 0, true);
        return { kind: 'binary', data: b, label: 'input with a bad sequence' };
      }
      case 5: {
        const b = encodePing(0);
        new DataView(b.buffer).setFloat64(1, this.pick(FLOATS), true);
        return { kind: 'binary', data: b, label: 'ping with a bad float' };
      }
      case 6:
        return { kind: 'binary', data: this.bytes(this.int(700)), label: 'random bytes' };
      case 7:
        return this.rnd() < 0.5
          ? { kind: 'text', data: new TextEncoder().encode(`{"type":"input","dx":${this.int(9)}}`), label: 'text frame' }
          : { kind: 'text', data: this.bytes(1 + this.int(40)), label: 'text frame of random bytes' };
      case 8:
        return { kind: 'binary', data: this.bytes(MAX_CLIENT_MESSAGE_BYTES + 1 + this.int(4000)), label: 'oversized frame' };
      case 9: {
        const bad = this.rnd() < 0.7;
        return bad
          ? { kind: 'binary', data: Uint8Array.of(ClientMessage.LEAVE, ...this.bytes(1 + this.int(8))), label: 'leave with a body' }
          : { kind: 'binary', data: encodeLeave(), label: 'valid leave' };
      }
      case 10: {
        // A valid input in two fragments (must be accepted as one message), or fragments that add up to too much.
        if (this.rnd() < 0.5) {
          const b = this.validInput();
          const cut = 1 + this.int(b.byteLength - 1);
          return { kind: 'fragments', parts: [b.subarray(0, cut), b.subarray(cut)], label: 'fragmented valid input' };
        }
        return { kind: 'fragments', parts: [this.bytes(300), this.bytes(300)], label: 'fragments over the limit' };
      }
      default:
        return { kind: 'ping', data: this.bytes(this.int(126)), label: 'control ping' };
    }
  }

  private mutated(): FuzzFrame {
    const base = this.pick([() => this.validInput(), () => encodePing(this.rnd() * 1e6), () => encodeChat(`hello ${this.int(100)}`)])();
    let b: Uint8Array = base.slice();
    const how = this.int(5);
    if (how === 0) {
      for (let i = 0, n = 1 + this.int(4); i < n; i++) b[this.int(b.byteLength)]! ^= 1 << this.int(8);
    } else if (how === 1) {
      b[this.int(b.byteLength)] = this.int(256);
    } else if (how === 2) {
      b = b.subarray(0, this.int(b.byteLength));
    } else if (how === 3) {
      b = Uint8Array.from([...b, ...this.bytes(1 + this.int(16))]);
    } else {
      b[0] = this.int(256); // another message type
    }
    return { kind: 'binary', data: b, label: 'mutated frame' };
  }
}
