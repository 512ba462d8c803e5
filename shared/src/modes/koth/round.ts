/**
 * The round lifecycle of king of the hill, over its state: start a round, score the hill each
 * tick, end the round on a win or when the timer runs out, and start the next after the intermission.
 */
import type { ModeContext } from '../../mode-api/define-mode';
import { INTERMISSION_SECONDS, Phase, ROUND_SECONDS, WIN_POINTS, insideHill, leaderOf, placeHill, pointsFor, spawnPoint, ticksOf, type Point } from './rules';
import type { KothPlayer, KothState } from './state';

const at: Point = { x: 0, y: 0 };

/** Starts the next round: the hill moves, every player respawns off it with no points. */
export function startRound(state: KothState, ctx: ModeContext): void {
  state.round += 1;
  state.phase = Phase.PLAYING;
  state.phaseEndsAtTick = ctx.tick + ticksOf(ROUND_SECONDS, ctx.tickRate);
  state.holder = 0;
  state.contested = false;
  placeHill(ctx.random, at);
  state.hillX = at.x;
  state.hillY = at.y;
  state.players.forEach((p) => resetPlayer(state, p, ctx));
}

/** Puts a player at a fresh spawn point with nothing earned this round. */
export function resetPlayer(state: KothState, p: KothPlayer, ctx: ModeContext): void {
  spawnPoint(ctx.random, state.hillX, state.hillY, at);
  p.x = at.x;
  p.y = at.y;
  p.score = 0;
  p.pushTick = 0;
  p.heldTicks = 0;
  p.knockTicks = 0;
}

/**
 * One tick of the round clock, after movement. While playing: the sole occupant of the hill earns
 * time, and the round ends when someone reaches WIN_POINTS or the timer runs out. During the
 * intermission: the next round starts when its time is up.
 */
export function advanceRound(state: KothState, ctx: ModeContext): void {
  if (state.phase === Phase.INTERMISSION) {
    if (ctx.tick >= state.phaseEndsAtTick) startRound(state, ctx);
    return;
  }
  const holder = scoreHill(state, ctx.tickRate);
  if (holder && holder.score >= WIN_POINTS) endRound(state, holder, ctx);
  else if (ctx.tick >= state.phaseEndsAtTick) endRound(state, leaderOf(state.players.values()), ctx);
}

/** Updates who holds the hill and credits the sole occupant one tick; returns that player. */
export function scoreHill(state: KothState, tickRate: number): KothPlayer | undefined {
  let sole: KothPlayer | undefined;
  let count = 0;
  state.players.forEach((p) => {
    if (insideHill(p.x, p.y, state.hillX, state.hillY)) {
      count++;
      sole = p;
    }
  });
  if (count !== 1) sole = undefined;
  state.holder = sole ? sole.id : 0;
  state.contested = count > 1;
  if (sole) {
    sole.heldTicks += 1;
    sole.score = pointsFor(sole.heldTicks, tickRate);
  }
  return sole;
}

/** Ends the round with `winner` (undefined: a draw) and starts the intermission. */
export function endRound(state: KothState, winner: KothPlayer | undefined, ctx: ModeContext): void {
  state.phase = Phase.INTERMISSION;
  state.phaseEndsAtTick = ctx.tick + ticksOf(INTERMISSION_SECONDS, ctx.tickRate);
  state.winner = winner ? winner.id : 0;
  state.winnerName = winner ? winner.name : '';
  state.holder = 0;
  state.contested = false;
}
