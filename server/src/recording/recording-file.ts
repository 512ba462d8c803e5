/**
 * A recording's file: chunks are appended through a write stream (the OS write happens on libuv's
 * thread pool, never on the tick), in order; `close` resolves when the last byte is on disk. A
 * write error ends the file and is logged; the room goes on.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordingSink } from './room-recorder';

export function recordingFileName(dir: string, mode: string, roomId: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  return join(dir, `${mode}-${roomId}-${stamp}.tfrec`);
}

export function recordingFile(path: string, onError: (err: Error) => void): RecordingSink {
  mkdirSync(join(path, '..'), { recursive: true });
  const stream = createWriteStream(path, { flags: 'wx' });
  let failed = false;
  stream.on('error', (err) => {
    failed = true;
    onError(err);
  });
  return {
    write(bytes) {
      if (!failed) stream.write(bytes);
    },
    close() {
      return new Promise((resolve) => {
        if (failed || stream.closed) return resolve();
        stream.end(() => resolve());
      });
    },
  };
}

/** Collects a recording in memory (tests, the admin API's download of a live room). */
export function memorySink(): RecordingSink & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  return {
    write(bytes) {
      chunks.push(bytes);
    },
    close: () => Promise.resolve(),
    bytes() {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.byteLength;
      }
      return out;
    },
  };
}
