/**
 * How king of the hill is played and drawn in the browser: the hill (tinted by its holder, orange
 * when contested), players with own-player prediction through koth's movePlayer, the push
 * shockwaves, the round timer and the round's result, computed from the tick numbers the patches
 * carry (the state only holds the tick a phase ends at). Click or Space pushes.
 */
import { Graphics } from 'pixi.js';
import type { BufferSample } from '@tickforge/shared';
import { HILL_RADIUS, KothInput, PLAYER_RADIUS, PUSH_RADIUS, Phase, WORLD_SIZE, canPush, movePlayer, secondsLeft, type KothState } from '@tickforge/shared/modes/koth/index';
import { el } from '../dom';
import { PlayerSprites } from '../render/player-sprite';
import { playerColor } from '../render/palette';
import { inputFromControls } from './controls-input';
import type { FeedEntry, ModeClientFactory } from './mode-client';
import { capturePlayers, forEachInterpolated, scoreRows, type PlayerSnap } from './player-snapshots';

export interface KothSnap {
  players: Map<number, PlayerSnap>;
  /** Tick of each player's last push. */
  pushTicks: Map<number, number>;
  hillX: number;
  hillY: number;
  holder: number;
  contested: boolean;
  phase: number;
  round: number;
  phaseEndsAtTick: number;
  winner: number;
  winnerName: string;
}

/** How long a push's shockwave is drawn, in seconds. */
const WAVE_SECONDS = 0.35;

function clock(seconds: number): string {
  const s = Math.ceil(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export const kothClient: ModeClientFactory = (mode) => {
  /** Own pushes shown at once (client time), before the server's pushTick arrives. */
  let localPushAt = -Infinity;
  let framesSent = 0;
  let lastPushFrame = 0;
  return {
    world: mode.world ?? { width: WORLD_SIZE, height: WORLD_SIZE },
    controlsHint: 'WASD / arrows move · click or Space shoves players near you',
    input: (controls) => inputFromControls(KothInput, controls) as KothInput,
    capture(state: KothState): KothSnap {
      const pushTicks = new Map<number, number>();
      state.players.forEach((p, key) => pushTicks.set(Number(key), p.pushTick));
      return {
        players: capturePlayers(state),
        pushTicks,
        hillX: state.hillX,
        hillY: state.hillY,
        holder: state.holder,
        contested: state.contested,
        phase: state.phase,
        round: state.round,
        phaseEndsAtTick: state.phaseEndsAtTick,
        winner: state.winner,
        winnerName: state.winnerName,
      };
    },
    ownPosition: (state: KothState, id) => state.players.get(String(id)),
    step: (p, input: KothInput, dt) => void movePlayer(p, input.dx, input.dy, dt),
    onInputSent(input: KothInput, _predicted, now) {
      // Frames count as ticks for the cooldown, as on the server (0 means "never pushed" there).
      framesSent++;
      if (!input.push || !canPush(lastPushFrame, framesSent, mode.tickRate)) return;
      lastPushFrame = framesSent;
      localPushAt = now;
    },
    feed(prev: KothSnap, next: KothSnap, tick): FeedEntry[] {
      if (prev.phase !== Phase.PLAYING || next.phase !== Phase.INTERMISSION) return [];
      const winner = next.players.get(next.winner);
      const name = winner?.name ?? next.winnerName;
      return [{ tick, parts: next.winner ? [{ id: next.winner, name }, ` won round ${next.round}`] : [`Round ${next.round} was a draw`] }];
    },
    scoreboard: scoreRows,

    createRenderer({ world, banner: bannerBox }) {
      const hill = new Graphics();
      const waves = new Graphics();
      world.addChild(hill);
      const sprites = new PlayerSprites(world, { radius: PLAYER_RADIUS, barrel: false });
      world.addChild(waves);
      // The round and the hill's holder, on a panel at the top centre (HTML, see RendererLayers.banner).
      const panel = el('div', { class: 'banner-panel koth-status', 'data-testid': 'koth-status' });
      const banner = el('div', { class: 'banner-title' });
      const status = el('div', { class: 'banner-text' });
      panel.append(banner, status);
      bannerBox.append(panel);
      const show = (node: HTMLElement, text: string) => {
        if (node.textContent !== text) node.textContent = text;
      };
      const wave = (x: number, y: number, ageSeconds: number, color: number) => {
        if (ageSeconds < 0 || ageSeconds > WAVE_SECONDS) return;
        const f = ageSeconds / WAVE_SECONDS;
        waves.circle(x, y, PLAYER_RADIUS + (PUSH_RADIUS - PLAYER_RADIUS) * f).stroke({ width: 4 * (1 - f) + 1, color, alpha: 0.8 * (1 - f) });
      };

      return {
        render(frame) {
          const sample = frame.sample as BufferSample<KothSnap> | undefined;
          const state = frame.state as KothState;
          hill.clear();
          waves.clear();
          sprites.begin();
          if (sample) {
            const s = sample.alpha < 0.5 ? sample.from : sample.to;
            const color = s.contested ? 0xfb923c : s.holder ? playerColor(s.players.get(s.holder)?.name ?? `#${s.holder}`) : 0x94a3b8;
            hill
              .circle(s.hillX, s.hillY, HILL_RADIUS)
              .fill({ color, alpha: s.holder || s.contested ? 0.22 : 0.08 })
              .stroke({ width: 4, color, alpha: 0.85 });
            hill.circle(s.hillX, s.hillY, 6).fill({ color, alpha: 0.85 });
            forEachInterpolated(sample, (p, x, y) => {
              const self = p.id === frame.playerId;
              if (!(self && frame.self)) sprites.get(p.id, self).update(x, y, 0, p.name, undefined);
              const pushed = s.pushTicks.get(p.id) ?? 0;
              if (pushed > 0 && !self) wave(x, y, (frame.renderTick - pushed) / frame.tickRate, playerColor(p.name));
            });
            const left = secondsLeft(s.phaseEndsAtTick, frame.renderTick, frame.tickRate);
            if (s.phase === Phase.INTERMISSION) {
              show(banner, s.winner ? `${s.winnerName} wins round ${s.round}!` : `Round ${s.round} is a draw`);
              show(status, `Next round in ${Math.ceil(left)} s`);
            } else {
              show(banner, `Round ${s.round} · ${clock(left)}`);
              const holder = s.players.get(s.holder);
              show(
                status,
                s.contested
                  ? 'The hill is contested'
                  : holder
                    ? `${holder.id === frame.playerId ? 'You hold' : `${holder.name} holds`} the hill`
                    : 'The hill is free: stand on it alone to score',
              );
            }
          }
          const me = state.players.get(String(frame.playerId));
          if (frame.self && me) {
            sprites.get(frame.playerId, true).update(frame.self.x, frame.self.y, 0, me.name, undefined);
            wave(frame.self.x, frame.self.y, (frame.now - localPushAt) / 1000, playerColor(me.name));
          }
          sprites.end();
          if (frame.self) return frame.self;
          const own = sample?.to.players.get(frame.playerId);
          return own ? { x: own.x, y: own.y } : undefined;
        },
        destroy() {
          sprites.destroy();
          hill.destroy();
          waves.destroy();
          panel.remove();
        },
      };
    },
  };
};
