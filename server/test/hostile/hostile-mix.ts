/**
 * The hostile mix of issue 12 at a low, steady rate, for running beside a loadtest (soak.ts) or a
 * test: every `everyMs` one attack of the list, in turn, each from a fresh forwarded address
 * (the server under test trusts X-Forwarded-For), against 127.0.0.1 only. It counts what each
 * attack got back, so a soak can say the refusals held the whole time.
 */
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';

export interface HostileCounts {
  [attack: string]: Record<string, number>;
}

export interface HostileMix {
  counts: HostileCounts;
  /** Stops the attacks and closes what they hold open. */
  stop(): Promise<void>;
}

/** Silent TCP connections held at most at once (each is cut by the server within ~5.5 s). */
const MAX_SILENT = 20;

export function startHostileMix(base: string, everyMs = 200): HostileMix {
  const { port } = new URL(base);
  const counts: HostileCounts = {};
  const count = (attack: string, outcome: string | number) => {
    const c = (counts[attack] ??= {});
    c[String(outcome)] = (c[String(outcome)] ?? 0) + 1;
  };
  let n = 0;
  const address = () => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  const silent = new Set<Socket>();
  const sockets = new Set<WebSocket>();

  const post = async (body: unknown, xff = address()) => {
    const res = await fetch(`${base}/api/matchmake`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as { code?: string; roomId?: string; token?: string };
    return { status: res.status, ...json };
  };
  const closeOf = (ws: WebSocket) =>
    new Promise<number>((resolve) => {
      ws.once('close', (code) => resolve(code));
      ws.once('error', () => {});
    });

  const attacks: Array<[string, () => Promise<string | number>]> = [
    // Rooms that are never joined.
    ['create-never-connect', async () => (await post({ mode: 'arena', create: true })).status],
    // Squatting a room that has players: its id is public.
    [
      'squat',
      async () => {
        const rooms = (await (await fetch(`${base}/api/rooms?mode=arena`)).json()) as Array<{ id: string; players: number }>;
        const victim = rooms.find((r) => r.players > 0);
        return victim ? ((await post({ mode: 'arena', roomId: victim.id })).code ?? 200) : 'no-room';
      },
    ],
    // A seated player floods WebSocket ping frames, or pong frames nobody asked for: 200 pipelined.
    ...(['ping', 'pong'] as const).map((kind): [string, () => Promise<string | number>] => [
      `${kind}-flood`,
      async () => {
        const seat = await post({ mode: 'arena', create: true });
        if (!seat.token) return `matchmake ${seat.status}`;
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(seat.token)}`);
        sockets.add(ws);
        const closed = closeOf(ws);
        await new Promise((r) => ws.once('open', r));
        for (let i = 0; i < 200; i++) ws[kind]();
        const code = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('no-close'), 3000))]);
        ws.terminate();
        sockets.delete(ws);
        return code;
      },
    ]),
    // Connections that never send a byte.
    [
      'silent-tcp',
      async () => {
        if (silent.size >= MAX_SILENT) return 'held';
        const s = connect(Number(port), '127.0.0.1');
        s.on('error', () => {});
        silent.add(s);
        s.once('close', () => silent.delete(s));
        return 'opened';
      },
    ],
    // Upgrades of a path that is not /ws, one with a long path.
    [
      'upgrade-elsewhere',
      async () => {
        const path = n % 2 ? '/health' : `/${'x'.repeat(8000)}`;
        const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
        return new Promise((resolve) => {
          ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 'unknown'));
          ws.once('open', () => resolve('upgraded'));
          ws.once('error', () => resolve('error'));
        });
      },
    ],
    ['metrics-through-proxy', async () => (await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': address() } })).status],
    // Tokens the docs promise a 4001 for.
    [
      'bad-token',
      async () => {
        const q = n % 2 ? `token=${'a'.repeat(400)}` : 'token=a&token=b';
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?${q}`);
        return closeOf(ws);
      },
    ],
    ['bidi-name', async () => (await post({ mode: 'arena', name: 'a\u202eb' })).status],
    ['extra-field', async () => (await post({ mode: 'arena', admin: true })).status],
  ];

  let busy = false;
  const timer = setInterval(() => {
    if (busy) return; // one attack at a time: the rate stays low whatever the machine does
    busy = true;
    const [name, attack] = attacks[n % attacks.length]!;
    n++;
    attack()
      .then((outcome) => count(name, outcome))
      .catch((err: Error) => count(name, `threw ${err.message.slice(0, 40)}`))
      .finally(() => (busy = false));
  }, everyMs);

  return {
    counts,
    async stop() {
      clearInterval(timer);
      for (const s of silent) s.destroy();
      for (const ws of sockets) ws.terminate();
      while (busy) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
