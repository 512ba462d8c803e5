/**
 * Players whose connection dropped, held in the room for a grace period so they can come back
 * with their reconnect token and find their player as they left it (same id, position, score).
 * The game mode is not told about the drop: its `leave` hook runs only when the grace runs out.
 */
import type { ModePlayer } from '@tickforge/shared';

export interface HeldPlayer {
  readonly player: ModePlayer;
  /** Reconnect-token generation the player must present. */
  readonly generation: number;
  /** Clock time at which the hold ends and the player leaves. */
  readonly until: number;
}

export class HeldPlayers {
  private readonly held = new Map<number, HeldPlayer>();

  /** `graceMs` 0 holds nobody: a dropped player leaves at once. */
  constructor(readonly graceMs: number) {}

  get size(): number {
    return this.held.size;
  }

  /** Holds `player` until now + grace. Returns false when there is no grace to give. */
  hold(player: ModePlayer, generation: number, now: number): boolean {
    if (this.graceMs <= 0) return false;
    this.held.set(player.id, { player, generation, until: now + this.graceMs });
    return true;
  }

  get(playerId: number): HeldPlayer | undefined {
    return this.held.get(playerId);
  }

  /** Releases a held player (they reconnected). */
  release(playerId: number): void {
    this.held.delete(playerId);
  }

  /** Moves every player whose grace ended by `now` into `out`. */
  expire(now: number, out: ModePlayer[]): void {
    if (this.held.size === 0) return;
    for (const [id, h] of this.held) {
      if (h.until <= now) {
        this.held.delete(id);
        out.push(h.player);
      }
    }
  }

  /** The players held now. */
  players(): ModePlayer[] {
    return [...this.held.values()].map((h) => h.player);
  }

  clear(): void {
    this.held.clear();
  }
}
