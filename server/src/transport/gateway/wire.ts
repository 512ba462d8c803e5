/**
 * The records a room process and its gateways exchange (gateways.ts, gateway-process.ts): many per
 * IPC message, each `op` (u8), connection `id` (u32), payload length (u32), payload. One tick's
 * patches to every client of a gateway are one message, so the room's thread makes one system
 * call for them where it made one per client.
 */

/** Room process → gateway. */
export const ToGateway = {
  /** Payload: whole WebSocket frames, written as they are. */
  WRITE: 1,
  /** Payload: close code (u16), then the reason (UTF-8). */
  CLOSE: 2,
  /** Cut the connection now. */
  TERMINATE: 3,
} as const;

/** Gateway → room process. */
export const FromGateway = {
  /** Payload: one binary message. */
  BINARY: 1,
  /** Payload: the text frame's size (u32). */
  TEXT: 2,
  /** Payload: close code (u16), then the reason: a control-frame flood. */
  FLOOD: 3,
  /** Payload: the close code (u16) the gateway closed with (a frame ws refused). */
  REFUSED: 4,
  /** Payload: 1 when the client broke the protocol, 0 when the network failed. */
  ERROR: 5,
  /** Payload: the close code (u16); the connection is gone. */
  CLOSED: 6,
  /** Payload: bytes queued for the client and not yet written (u32). */
  BUFFERED: 7,
  /** Payload: the last heartbeat round trip, ms (f64). */
  RTT: 8,
} as const;

const RECORD_HEADER = 9;

/** Appends records to a buffer that grows; `take` hands over what was written and starts again. */
export class RecordWriter {
  private buf = Buffer.allocUnsafe(16 * 1024);
  private len = 0;

  get size(): number {
    return this.len;
  }

  /** The buffer records are written to (replaced when it grows: read it after `reserve`). */
  get target(): Buffer {
    return this.buf;
  }

  /** Reserves a record of `n` payload bytes; answers where its payload goes in `target`. */
  reserve(op: number, id: number, n: number): number {
    const need = this.len + RECORD_HEADER + n;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    const at = this.len;
    this.buf[at] = op;
    this.buf.writeUInt32LE(id, at + 1);
    this.buf.writeUInt32LE(n, at + 5);
    this.len = need;
    return at + RECORD_HEADER;
  }

  put(op: number, id: number, payload?: Uint8Array): void {
    const at = this.reserve(op, id, payload ? payload.byteLength : 0);
    if (payload) this.buf.set(payload, at);
  }

  putU16Text(op: number, id: number, code: number, text: string): void {
    const n = Buffer.byteLength(text);
    const at = this.reserve(op, id, 2 + n);
    this.buf.writeUInt16LE(code, at);
    this.buf.write(text, at + 2);
  }

  putU16(op: number, id: number, v: number): void {
    this.buf.writeUInt16LE(v, this.reserve(op, id, 2));
  }

  putU32(op: number, id: number, v: number): void {
    this.buf.writeUInt32LE(v, this.reserve(op, id, 4));
  }

  putF64(op: number, id: number, v: number): void {
    this.buf.writeDoubleLE(v, this.reserve(op, id, 8));
  }

  /** A copy of the records written since the last `take` (an IPC message may be queued, not sent at once). */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    return out;
  }
}

/**
 * Records on their way to the other process: sent as one message on the next turn of the event
 * loop after the first is queued, or earlier by `flush` (the room's end of tick).
 */
export class Outbox extends RecordWriter {
  private scheduled = false;

  constructor(private readonly send: (data: Buffer) => void) {
    super();
  }

  /** Something was written: make sure it goes. */
  queued(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.size > 0) this.send(this.take());
  }
}

/** Calls `f` for every record of `data`; `payload` is a view into `data`. */
export function readRecords(data: Uint8Array, f: (op: number, id: number, payload: Buffer) => void): void {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at + RECORD_HEADER <= buf.length) {
    const op = buf[at]!;
    const id = buf.readUInt32LE(at + 1);
    const n = buf.readUInt32LE(at + 5);
    const start = at + RECORD_HEADER;
    if (start + n > buf.length) throw new Error(`gateway record ${op} for connection ${id} overruns its message`);
    f(op, id, buf.subarray(start, start + n));
    at = start + n;
  }
}

/** The code (u16) and text of a `putU16Text` payload. */
export function codeAndText(payload: Buffer): [number, string] {
  return [payload.readUInt16LE(0), payload.toString('utf8', 2)];
}
