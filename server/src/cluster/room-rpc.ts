/**
 * Asking another node to open a room. Placement picks the least-loaded node, which is usually not
 * the one that took the HTTP request; that node opens the room, registers it with the first seat
 * reserved (one script), and answers with the seat. The request and the answer travel over Redis
 * pub/sub, one channel per node, so nodes need no address for each other but Redis's.
 * A request nobody hears (PUBLISH reaches no subscriber) fails at once; one unanswered fails after
 * `timeoutMs`, and matchmaking places the room elsewhere.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Reply } from './redis-connection';
import { rpcChannel } from './keys';

interface OpenRequest {
  op: 'open';
  id: string;
  mode: string;
  from: string;
}
interface OpenAnswer {
  op: 'opened';
  id: string;
  seat?: Reply[];
  error?: string;
}

export class RoomRpcError extends Error {
  override name = 'RoomRpcError';
}

export interface RoomRpcOptions {
  publisher: Redis;
  subscriber: Redis;
  prefix: string;
  nodeId: string;
  timeoutMs: number;
  /** Opens a room of `mode` here and answers its first seat (the REGISTER reply); throws a TickforgeError to refuse. */
  open(mode: string): Promise<Reply[]>;
  log: { warn(o: object, m: string): void };
}

export class RoomRpc {
  private readonly waiting = new Map<string, { resolve(seat: Reply[]): void; reject(err: Error): void; timer: NodeJS.Timeout }>();

  constructor(private readonly o: RoomRpcOptions) {}

  async start(): Promise<void> {
    const { subscriber } = this.o;
    subscriber.on('message', (_channel: string, text: string) => this.receive(text));
    await subscriber.subscribe(rpcChannel(this.o.prefix, this.o.nodeId));
  }

  /** Asks `nodeId` to open a room of `mode`; resolves with its first seat. */
  async open(nodeId: string, mode: string): Promise<Reply[]> {
    const id = randomBytes(8).toString('base64url');
    const request: OpenRequest = { op: 'open', id, mode, from: this.o.nodeId };
    const answer = new Promise<Reply[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new RoomRpcError(`node ${nodeId} did not answer within ${this.o.timeoutMs} ms`));
      }, this.o.timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
    });
    let heard: number;
    try {
      heard = await this.o.publisher.publish(rpcChannel(this.o.prefix, nodeId), JSON.stringify(request));
    } catch (err) {
      this.settle(id)?.reject(err as Error);
      return answer;
    }
    if (heard === 0) this.settle(id)?.reject(new RoomRpcError(`node ${nodeId} is not listening`));
    return answer;
  }

  private settle(id: string) {
    const w = this.waiting.get(id);
    if (!w) return undefined;
    clearTimeout(w.timer);
    this.waiting.delete(id);
    return w;
  }

  private receive(text: string): void {
    let msg: OpenRequest | OpenAnswer;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.op === 'opened') {
      const w = this.settle(msg.id);
      if (!w) return;
      if (msg.seat) w.resolve(msg.seat);
      else w.reject(new RoomRpcError(msg.error ?? 'refused'));
      return;
    }
    if (msg.op !== 'open' || typeof msg.mode !== 'string' || typeof msg.from !== 'string') return;
    const reply = (a: OpenAnswer) =>
      this.o.publisher.publish(rpcChannel(this.o.prefix, msg.from), JSON.stringify(a)).catch((err: Error) => {
        this.o.log.warn({ err: err.message }, 'could not answer a room request');
      });
    // Through a promise even if `open` throws at once (an unknown mode): the answer is a refusal, never a crash.
    Promise.resolve(msg.mode)
      .then((mode) => this.o.open(mode))
      .then(
        (seat) => reply({ op: 'opened', id: msg.id, seat }),
        (err: Error & { code?: string }) => reply({ op: 'opened', id: msg.id, error: err.code ?? err.message }),
      );
  }

  close(): void {
    for (const [id] of this.waiting) this.settle(id)?.reject(new RoomRpcError('closing'));
  }
}
