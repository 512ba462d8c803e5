/**
 * The boot check of ws's private fields: it passes on the installed ws, and it refuses (loudly,
 * naming the field) a WebSocket or a frame error that lacks what the game socket reads.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { assertWsInternals, checkWsInternals, WsInternalsError } from './ws-internals';

function frameErrorWithCode(code: number): Error {
  const err = new RangeError('RSV2 and RSV3 must be clear');
  (err as unknown as Record<symbol, number>)[Symbol('status-code')] = code;
  return err;
}

describe('ws internals', () => {
  it('are all present on the installed ws', async () => {
    await expect(checkWsInternals()).resolves.toBeUndefined();
  });

  it('fail the check when the WebSocket has no _socket', () => {
    const socket = {};
    const fake = { _receiver: new EventEmitter() } as unknown as WebSocket;
    expect(() => assertWsInternals(fake, socket, frameErrorWithCode(1002))).toThrow(WsInternalsError);
    expect(() => assertWsInternals(fake, socket, frameErrorWithCode(1002))).toThrow(/_socket/);
  });

  it('fail the check when the WebSocket has no _receiver', () => {
    const socket = {};
    const fake = { _socket: socket } as unknown as WebSocket;
    expect(() => assertWsInternals(fake, socket, frameErrorWithCode(1002))).toThrow(/_receiver/);
  });

  it('fail the check when a frame error carries no status-code symbol', () => {
    const socket = {};
    const fake = { _socket: socket, _receiver: new EventEmitter() } as unknown as WebSocket;
    expect(() => assertWsInternals(fake, socket, new RangeError('RSV2 and RSV3 must be clear'))).toThrow(/status-code/);
    expect(() => assertWsInternals(fake, socket, frameErrorWithCode(1002))).not.toThrow();
  });
});
