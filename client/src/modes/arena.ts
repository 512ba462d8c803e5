/**
 * How arena is played and drawn in the browser: own-player prediction with arena's movePlayer,
 * projectiles computed from their spawn data with projectileAt (never sent in flight), the own
 * shots shown the moment they are fired, health bars, scoreboard and the kill feed (from the
 * server's kill events, arena-kills.ts), and each kill shown as a moment (arena-deaths.ts).
 *
 * Own shots: the server's projectile of a shot arrives a round trip after the click. So a fired
 * shot is drawn at once from the predicted position on the client's own timeline; when the
 * server's projectile with the same angle and origin shows up it is paired with it (and the
 * server's copy is not drawn twice), and the local one goes when the server's goes (a hit).
 * A local shot that is never confirmed (the server's cooldown disagreed) fades after a while.
 */
import { Graphics } from 'pixi.js';
import type { BufferSample } from '@tickforge/shared';
import {
  ArenaInput,
  PROJECTILE_LIFETIME_TICKS,
  WORLD_SIZE,
  canFire,
  insideWorld,
  movePlayer,
  projectileAt,
  snapAngle,
  type ArenaEvent,
  type ArenaState,
} from '@tickforge/shared/modes/arena/index';
import { PlayerSprites } from '../render/player-sprite';
import { playerColor } from '../render/palette';
import { ArenaDeaths } from './arena-deaths';
import { killFeed } from './arena-kills';
import { inputFromControls } from './controls-input';
import type { ModeClientFactory } from './mode-client';
import { capturePlayers, forEachInterpolated, scoreRows, type PlayerSnap } from './player-snapshots';

interface LocalShot {
  x: number;
  y: number;
  angle: number;
  firedAt: number;
  /** Id of the server's projectile once paired. */
  serverId: string | undefined;
  /** The server's projectile is gone (hit something, or expired). */
  gone: boolean;
}

interface ProjectileSnap {
  id: string;
  owner: number;
  x: number;
  y: number;
  angle: number;
  spawnTick: number;
}

interface ArenaSnap {
  players: Map<number, PlayerSnap>;
  projectiles: ProjectileSnap[];
}

/** Unconfirmed local shots are dropped after this (ms), or twice the usual confirmation time. */
const MIN_CONFIRM_WAIT_MS = 400;

export const arenaClient: ModeClientFactory = (mode) => {
  const tickRate = mode.tickRate;
  const intervalMs = 1000 / tickRate;
  const shots: LocalShot[] = [];
  let framesSent = 0;
  let lastShotMs = -Infinity;
  let confirmMs = 150; // running mean of fire→confirmation time
  let deaths: ArenaDeaths | undefined;

  return {
    world: { width: WORLD_SIZE, height: WORLD_SIZE },
    controlsHint: 'WASD / arrows move · mouse aims · click or Space fires',
    // Neutral during the own respawn moment (arena-deaths.ts): the camera is on the spot of death.
    input: (controls) =>
      inputFromControls(ArenaInput, deaths?.controlsLocked(performance.now()) ? { ...controls, dx: 0, dy: 0, fire: false } : controls) as ArenaInput,
    capture(state: ArenaState): ArenaSnap {
      const projectiles: ProjectileSnap[] = [];
      state.projectiles.forEach((s, id) => projectiles.push({ id, owner: s.owner, x: s.x, y: s.y, angle: s.angle, spawnTick: s.spawnTick }));
      return { players: capturePlayers(state), projectiles };
    },
    ownPosition(state: ArenaState, id) {
      return state.players.get(String(id));
    },
    step: (p, input: ArenaInput, dt) => void movePlayer(p, input.dx, input.dy, dt),
    onInputSent(input: ArenaInput, predicted, now) {
      // The server's cooldown runs on simulated time: one input frame is one tick.
      const simMs = framesSent++ * intervalMs;
      if (!input.fire || !canFire(lastShotMs, simMs)) return;
      lastShotMs = simMs;
      shots.push({ x: predicted.x, y: predicted.y, angle: snapAngle(input.aim), firedAt: now, serverId: undefined, gone: false });
    },
    onPatch(snap: ArenaSnap, me, now) {
      const paired = new Set<string>();
      for (const s of shots) if (s.serverId) paired.add(s.serverId);
      for (const p of snap.projectiles) {
        if (p.owner !== me || paired.has(p.id)) continue;
        const local = shots.find((s) => !s.serverId && Math.abs(s.angle - p.angle) < 1e-3 && Math.hypot(s.x - p.x, s.y - p.y) < 40);
        if (!local) continue;
        local.serverId = p.id;
        confirmMs += (now - local.firedAt - confirmMs) * 0.2;
      }
      const alive = new Set(snap.projectiles.map((p) => p.id));
      for (const s of shots) if (s.serverId && !alive.has(s.serverId)) s.gone = true;
    },
    feedFromEvents(events: readonly ArenaEvent[], state: ArenaState, tick) {
      for (const e of events) {
        if (e.type !== 'kill') continue;
        const killer = state.players.get(String(e.killer));
        deaths?.add({
          tick,
          killer: killer ? { id: e.killer, name: killer.name } : undefined,
          victim: { id: e.victim, name: state.players.get(String(e.victim))?.name ?? `player ${e.victim}` },
        });
      }
      return killFeed(events, state, tick);
    },
    scoreboard: scoreRows,

    createRenderer({ world: layer, banner }) {
      const trails = new Graphics();
      const sprites = new PlayerSprites(layer);
      layer.addChild(trails);
      const moments = (deaths = new ArenaDeaths(layer, banner));
      // Where each player was drawn this frame and the previous one (the spot of death).
      let drawnBefore = new Map<number, { x: number; y: number }>();
      let drawnNow = new Map<number, { x: number; y: number }>();
      const at = { x: 0, y: 0 };
      const drawShot = (x: number, y: number, angle: number, c: number) => {
        const cos = Math.cos(angle);
        const sin = Math.sin(angle);
        trails.moveTo(x - cos * 18, y - sin * 18).lineTo(x, y).stroke({ width: 4, color: c, alpha: 0.35, cap: 'round' });
        trails.circle(x, y, 4.5).fill(c).circle(x, y, 2).fill({ color: 0xffffff, alpha: 0.9 });
      };
      return {
        render(frame) {
          const state = frame.state as ArenaState;
          const sample = frame.sample as BufferSample<ArenaSnap> | undefined;
          trails.clear();
          sprites.begin();
          [drawnBefore, drawnNow] = [drawnNow, drawnBefore];
          drawnNow.clear();
          if (sample) {
            forEachInterpolated(sample, (p, x, y, aim) => {
              if (p.id === frame.playerId && frame.self) return;
              sprites.get(p.id, p.id === frame.playerId).update(x, y, aim, p.name, p.hp);
              drawnNow.set(p.id, { x, y });
            });
            const mine = new Set<string>();
            for (const s of shots) if (s.serverId) mine.add(s.serverId);
            for (const p of sample.from.projectiles) {
              if (mine.has(p.id)) continue;
              const age = frame.renderTick - p.spawnTick;
              if (age < 0 || age > PROJECTILE_LIFETIME_TICKS) continue;
              projectileAt(p.x, p.y, p.angle, age, frame.tickRate, at);
              if (insideWorld(at.x, at.y)) drawShot(at.x, at.y, p.angle, playerColor(sample.to.players.get(p.owner)?.name ?? `#${p.owner}`));
            }
          }
          const me = state.players.get(String(frame.playerId));
          if (frame.self && me) {
            sprites.get(frame.playerId, true).update(frame.self.x, frame.self.y, frame.aim, me.name, me.hp);
            drawnNow.set(frame.playerId, { x: frame.self.x, y: frame.self.y });
          }
          sprites.end();
          const held = moments.update(frame.now, frame.renderTick, frame.playerId, drawnBefore, drawnNow);

          const ownColor = playerColor(me?.name ?? `#${frame.playerId}`);
          for (let i = shots.length - 1; i >= 0; i--) {
            const s = shots[i]!;
            const waited = frame.now - s.firedAt;
            const age = waited / intervalMs;
            projectileAt(s.x, s.y, s.angle, age, frame.tickRate, at);
            const unconfirmed = !s.serverId && waited > Math.max(MIN_CONFIRM_WAIT_MS, 2 * confirmMs);
            if (s.gone || unconfirmed || age > PROJECTILE_LIFETIME_TICKS || !insideWorld(at.x, at.y)) {
              shots.splice(i, 1);
              continue;
            }
            drawShot(at.x, at.y, s.angle, ownColor);
          }
          // Shots over players, the death bursts over everything.
          layer.setChildIndex(trails, layer.children.length - 1);
          layer.setChildIndex(moments.graphics, layer.children.length - 1);
          if (held) return held;
          if (frame.self) return frame.self;
          const own = sample?.to.players.get(frame.playerId);
          return own ? { x: own.x, y: own.y } : undefined;
        },
        moments: () => moments.shown,
        destroy() {
          moments.destroy();
          deaths = undefined;
          sprites.destroy();
          trails.destroy();
        },
      };
    },
  };
};

