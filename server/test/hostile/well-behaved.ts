/**
 * Well-behaved players for hostile runs: real GameClients that matchmake, play arena at the tick
 * rate (an input a tick, a ping a second) and record every patch's tick, so a run can say the
 * largest gap between consecutive patches a player saw, in ticks, while the attacks went on.
 */
import { WebSocket } from 'ws';
import { GameClient, matchmake, socketUrl } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';

export interface PatchGaps {
  players: number;
  patches: number;
  /** Largest tick gap between consecutive patches of one player (1: none missed). */
  maxGapTicks: number;
  /** Gaps of more than 3 ticks, over all players. */
  gapsOver3: number;
  /** Patches per player-second since the last reset: the tick rate the players saw. */
  patchRate: number;
  /** Players whose socket closed before the end. */
  closed: Array<{ code: number; reason: string }>;
}

export interface WellBehaved {
  gaps(): PatchGaps;
  /** Forgets the gaps so far (the start of a measured window). */
  reset(): void;
  stop(): void;
}

export async function startWellBehaved(base: string, players: number): Promise<WellBehaved> {
  const all: Array<{ game: GameClient<any, any>; ws: WebSocket; last: number; timer: NodeJS.Timeout }> = [];
  let patches = 0;
  let maxGapTicks = 0;
  let gapsOver3 = 0;
  const closed: PatchGaps['closed'] = [];
  let stopping = false;
  let since = performance.now();
  for (let i = 0; i < players; i++) {
    const seat = await matchmake(base, { mode: 'arena', name: `good${i}` });
    const ws = new WebSocket(socketUrl(base, seat));
    const p = { last: 0 } as (typeof all)[number];
    p.ws = ws;
    p.game = new GameClient(arena as never, ws as never, {
      onPatch: (_c, tick) => {
        patches++;
        if (p.last > 0) {
          const gap = tick - p.last;
          if (gap > maxGapTicks) maxGapTicks = gap;
          if (gap > 3) gapsOver3++;
        }
        p.last = tick;
      },
      onClose: (code, reason) => {
        if (!stopping) closed.push({ code, reason });
      },
    });
    let frame = 0;
    p.timer = setInterval(() => {
      if (!p.game.welcomed || p.game.closed) return;
      frame++;
      p.game.sendInput({ dx: Math.sign(Math.sin(frame / 15 + i)), dy: Math.sign(Math.cos(frame / 20 + i)), aim: (frame / 10) % (2 * Math.PI), fire: frame % 15 === 0 });
      if (frame % 30 === 0) p.game.ping();
    }, 1000 / 30);
    all.push(p);
  }
  return {
    gaps: () => ({
      players,
      patches,
      maxGapTicks,
      gapsOver3,
      patchRate: +(patches / players / ((performance.now() - since) / 1000)).toFixed(2),
      closed: [...closed],
    }),
    reset() {
      patches = 0;
      maxGapTicks = 0;
      gapsOver3 = 0;
      since = performance.now();
    },
    stop() {
      stopping = true;
      for (const p of all) {
        clearInterval(p.timer);
        p.ws.close();
      }
    },
  };
}
