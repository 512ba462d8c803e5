import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** Sends raw bytes over TCP and collects what comes back until `done` says stop. */
function raw(request: string, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer; got ${JSON.stringify(text)}`));
    }, 5000);
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (done(text)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.write(request);
  });
}

/** An HTTP/1.1 upgrade request for /ws with `key`, plus any extra header lines. */
function upgradeRequest(key: string, ...extra: string[]): string {
  return [
    'GET /ws HTTP/1.1',
    `Host: 127.0.0.1:${server.port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`,
    ...extra,
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

describe('RFC 6455 opening handshake on /ws', () => {
  it('answers the sample request of §1.3 with 101 and the sample Sec-WebSocket-Accept', async () => {
    const request = upgradeRequest('dGhlIHNhbXBsZSBub25jZQ==', 'Origin: http://example.com');
    const answer = await raw(request, (t) => t.includes('\r\n\r\n'));
    const [status, ...headers] = answer.split('\r\n\r\n')[0]!.split('\r\n');
    expect(status).toBe('HTTP/1.1 101 Switching Protocols');
    const h = Object.fromEntries(headers.map((l) => [l.split(':')[0]!.toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    expect(h['upgrade']!.toLowerCase()).toBe('websocket');
    expect(h['connection']!.toLowerCase()).toBe('upgrade');
    expect(h['sec-websocket-accept']).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('then closes the tokenless socket with 4001 and a reason, in a close frame', async () => {
    const request = upgradeRequest('dGhlIHNhbXBsZSBub25jZQ==');
    const answer = await raw(request, (t) => {
      const body = t.split('\r\n\r\n')[1];
      return body !== undefined && body.length >= 2 && body.length >= 2 + body.charCodeAt(1);
    });
    const frame = Buffer.from(answer.split('\r\n\r\n')[1]!, 'latin1');
    expect(frame[0]).toBe(0x88); // FIN + close
    const len = frame[1]!;
    expect(frame.readUInt16BE(2)).toBe(4001);
    expect(frame.subarray(4, 2 + len).toString()).toMatch(/seat token/);
  });

  it('refuses a handshake without a valid key with HTTP 400', async () => {
    const request = upgradeRequest('short');
    const answer = await raw(request, (t) => t.includes('\r\n\r\n'));
    expect(answer.startsWith('HTTP/1.1 400')).toBe(true);
  });
});
