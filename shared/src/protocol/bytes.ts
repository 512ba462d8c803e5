/**
 * Little-endian byte reader and writer for protocol messages. The reader never throws past its
 * caller: a short read sets `error` and returns 0, so a decoder checks once at the end.
 */

export class ByteReader {
  offset = 0;
  /** Set on the first read past the end. */
  truncated = false;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

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

  u8(): number {
    const at = this.take(1);
    return at < 0 ? 0 : this.view.getUint8(at);
  }
  i8(): number {
    const at = this.take(1);
    return at < 0 ? 0 : this.view.getInt8(at);
  }
  u16(): number {
    const at = this.take(2);
    return at < 0 ? 0 : this.view.getUint16(at, true);
  }
  u32(): number {
    const at = this.take(4);
    return at < 0 ? 0 : this.view.getUint32(at, true);
  }
  f32(): number {
    const at = this.take(4);
    return at < 0 ? 0 : this.view.getFloat32(at, true);
  }
  f64(): number {
    const at = this.take(8);
    return at < 0 ? 0 : this.view.getFloat64(at, true);
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

export const textEncoder = new TextEncoder();
/** `fatal` so invalid UTF-8 throws and can be reported as 1007, never silently replaced. */
export const textDecoder = new TextDecoder('utf-8', { fatal: true });
