/**
 * King of the hill: stand alone on the hill to score, shove the others off it. Rounds of
 * ROUND_SECONDS or first to WIN_POINTS, then a short intermission that shows the winner.
 */
import { defineMode } from '../../mode-api/define-mode';
import { KothInput } from './input';
import { resetPlayer, startRound, advanceRound } from './round';
import {
  MAX_PLAYERS,
  Phase,
  RULES,
  TICK_RATE,
  WORLD_SIZE,
  canPush,
  directionAway,
  inPushReach,
  knockbackStep,
  movePlayer,
  snapCoord,
  ticksOf,
  KNOCKBACK_SECONDS,
  type Point,
} from './rules';
import { KothPlayer, KothState } from './state';

export * from './rules';
export * from './state';
export * from './input';
export * from './round';

const away: Point = { x: 0, y: 0 };

export const koth = defineMode({
  name: 'koth',
  title: 'King of the Hill',
  description: 'Stand alone on the hill to score a point a second; shove the others off. First to 30 wins the round.',
  tickRate: TICK_RATE,
  maxPlayers: MAX_PLAYERS,
  world: { width: WORLD_SIZE, height: WORLD_SIZE },
  rules: RULES,
  State: KothState,
  input: KothInput,

  create(state, ctx) {
    startRound(state, ctx);
  },

  join(state, player, ctx) {
    const p = new KothPlayer();
    p.id = player.id;
    p.name = player.name;
    resetPlayer(state, p, ctx);
    state.players.set(String(player.id), p);
  },

  leave(state, player) {
    state.players.delete(String(player.id));
  },

  tick(state, inputs, ctx) {
    for (let i = 0; i < inputs.length; i++) {
      const { player, input } = inputs[i]!;
      const p = state.players.get(String(player.id));
      if (!p) continue;
      if (p.knockTicks === 0) movePlayer(p, input.dx, input.dy, ctx.dt);
      if (input.push && state.phase === Phase.PLAYING && canPush(p.pushTick, ctx.tick, ctx.tickRate)) push(state, p, ctx.tick, ctx.tickRate);
    }
    slideKnockedBack(state, ctx.tickRate);
    advanceRound(state, ctx);
  },
});

/** Every other player within reach starts sliding away from the pusher. */
function push(state: KothState, pusher: KothPlayer, tick: number, tickRate: number): void {
  pusher.pushTick = tick;
  const ticks = ticksOf(KNOCKBACK_SECONDS, tickRate);
  state.players.forEach((victim) => {
    if (victim === pusher || !inPushReach(pusher, victim)) return;
    directionAway(pusher, victim, away);
    victim.knockX = away.x;
    victim.knockY = away.y;
    victim.knockTicks = ticks;
  });
}

function slideKnockedBack(state: KothState, tickRate: number): void {
  const step = knockbackStep(tickRate);
  state.players.forEach((p) => {
    if (p.knockTicks === 0) return;
    p.x = snapCoord(p.x + p.knockX * step);
    p.y = snapCoord(p.y + p.knockY * step);
    p.knockTicks -= 1;
  });
}
