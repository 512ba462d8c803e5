/**
 * Little-endian byte reader and writer for protocol messages. The reader never throws past its
 * caller: a short read sets `error` and returns 0, so a decoder checks once at the end.
 */

export class ByteReader {
  offset = 0;
  /** Set on the first read past the end. */
  truncated = false;

  constructor(readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.byteLength - this.offset;
  }

  private take(n: number): number {
    const at = this.offset;
    if (at + n > this.bytes.byteLength) {
      this.truncated = true;
      this.offset = this.bytes.byteLength;
      return -1;
    }
    this.offset = at + n;
    return at;
  }

  // Integers are assembled from the bytes and floats go through one shared scratch view: the
  // server reads 30 inputs a client-second, and a DataView per message was most of the reader's
  // cost (server/bench/hot-path.ts).
  u8(): number {
    const at = this.take(1);
    return at < 0 ? 0 : this.bytes[at]!;
  }
  i8(): number {
    const at = this.take(1);
    return at < 0 ? 0 : (this.bytes[at]! << 24) >> 24;
  }
  u16(): number {
    const at = this.take(2);
    const b = this.bytes;
    return at < 0 ? 0 : b[at]! | (b[at + 1]! << 8);
  }
  u32(): number {
    const at = this.take(4);
    const b = this.bytes;
    return at < 0 ? 0 : (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }
  f32(): number {
    const at = this.take(4);
    if (at < 0) return 0;
    const b = this.bytes;
    for (let i = 0; i < 4; i++) scratchBytes[i] = b[at + i]!;
    return scratch.getFloat32(0, true);
  }
  f64(): number {
    const at = this.take(8);
    if (at < 0) return 0;
    const b = this.bytes;
    for (let i = 0; i < 8; i++) scratchBytes[i] = b[at + i]!;
    return scratch.getFloat64(0, true);
  }
  /** The next `n` bytes, as a view (no copy). */
  bytesOf(n: number): Uint8Array {
    const at = this.take(n);
    return at < 0 ? this.bytes.subarray(0, 0) : this.bytes.subarray(at, at + n);
  }
  /** The rest of the message, as a view (no copy). */
  rest(): Uint8Array {
    const at = this.offset;
    this.offset = this.bytes.byteLength;
    return this.bytes.subarray(at);
  }
  /** A string of `u8` length then UTF-8 bytes. */
  shortString(): string {
    const n = this.u8();
    const at = this.take(n);
    return at < 0 ? '' : textDecoder.decode(this.bytes.subarray(at, at + n));
  }
}

export class ByteWriter {
  offset = 0;
  private view: DataView;

  constructor(public bytes: Uint8Array = new Uint8Array(64)) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Reserves `n` bytes and returns their offset. Callers take the offset BEFORE touching `view`: growing replaces it. */
  private ensure(n: number): number {
    const at = this.offset;
    if (at + n > this.bytes.byteLength) {
      const grown = new Uint8Array(Math.max(this.bytes.byteLength * 2, at + n));
      grown.set(this.bytes);
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.offset = at + n;
    return at;
  }

  u8(v: number): this {
    const at = this.ensure(1);
    this.view.setUint8(at, v);
    return this;
  }
  i8(v: number): this {
    const at = this.ensure(1);
    this.view.setInt8(at, v);
    return this;
  }
  u16(v: number): this {
    const at = this.ensure(2);
    this.view.setUint16(at, v, true);
    return this;
  }
  u32(v: number): this {
    const at = this.ensure(4);
    this.view.setUint32(at, v, true);
    return this;
  }
  f32(v: number): this {
    const at = this.ensure(4);
    this.view.setFloat32(at, v, true);
    return this;
  }
  f64(v: number): this {
    const at = this.ensure(8);
    this.view.setFloat64(at, v, true);
    return this;
  }
  raw(bytes: Uint8Array): this {
    // ensure() first: it may replace this.bytes with a larger array.
    const at = this.ensure(bytes.byteLength);
    this.bytes.set(bytes, at);
    return this;
  }
  /** `u8` length then UTF-8 bytes; longer strings are cut at 255 bytes (on a character boundary). */
  shortString(s: string): this {
    let encoded = textEncoder.encode(s);
    if (encoded.byteLength > 255) {
      let end = 255;
      while (end > 0 && (encoded[end]! & 0xc0) === 0x80) end--;
      encoded = encoded.subarray(0, end);
    }
    this.u8(encoded.byteLength);
    return this.raw(encoded);
  }
  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.offset);
  }
}

const scratchBytes = new Uint8Array(8);
const scratch = new DataView(scratchBytes.buffer);

export const textEncoder = new TextEncoder();
/** `fatal` so invalid UTF-8 throws and can be reported as 1007, never silently replaced. */
export const textDecoder = new TextDecoder('utf-8', { fatal: true });
