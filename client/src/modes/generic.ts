/**
 * The fallback renderer: draws any mode whose state has a `players` map with x and y, so a mode
 * fresh from the scaffold is playable before it has a renderer of its own. Input is built from the
 * controls by field name (dx, dy, aim, fire). No prediction: the mode's movement rule is unknown.
 */
import type { BufferSample } from '@tickforge/shared';
import { PlayerSprites } from '../render/player-sprite';
import { inputFromControls } from './controls-input';
import type { ModeClientFactory } from './mode-client';
import { capturePlayers, forEachInterpolated, scoreRows, type PlayerSnap } from './player-snapshots';

export interface GenericSnap {
  players: Map<number, PlayerSnap>;
}

export const genericClient: ModeClientFactory = (mode) => ({
  world: mode.world ?? { width: 2000, height: 2000 },
  input: (controls) => inputFromControls(mode.input, controls),
  capture: (state): GenericSnap => ({ players: capturePlayers(state) }),
  scoreboard: scoreRows,
  createRenderer({ world: layer }) {
    const sprites = new PlayerSprites(layer);
    return {
      render(frame) {
        let focus: { x: number; y: number } | undefined;
        sprites.begin();
        if (frame.sample) {
          forEachInterpolated(frame.sample as BufferSample<GenericSnap>, (p, x, y, aim) => {
            const self = p.id === frame.playerId;
            if (self) focus = { x, y };
            sprites.get(p.id, self).update(x, y, aim, p.name, p.hp);
          });
        }
        sprites.end();
        return focus;
      },
      destroy: () => sprites.destroy(),
    };
  },
});
