/**
 * Interest management, the engine's side (the mode declares it: shared/src/mode-api/interest.ts).
 * Each tick, after the rules ran, the spatial entities go into a uniform grid (shared/src/mode-api/spatial-grid.ts)
 * and each client's view is brought up to date: an entity inside the client's view rectangle
 * enters it, a visible one leaves only once it is more than `margin` beyond the rectangle
 * (hysteresis: an entity moving along the edge does not flicker). The view is a @colyseus/schema
 * `StateView`: an entering entity is sent whole (every field), a leaving one as a removal, and
 * the rest of the view's entities as their ordinary deltas.
 *
 * What stays shared: the state outside the spatial (`.view()`) collections is encoded once a
 * tick (`encode`), and each client's bytes are those shared bytes followed by its view's part
 * (`encodeView`); only what a client sees is encoded for it. A mode without `interest` never
 * reaches this file: its clients get the one shared patch (snapshot-sender.ts).
 *
 * A client's view lives while its connection does; views of gone connections are disposed at
 * the next tick.
 */
import { StateView, type Encoder, type Schema } from '@colyseus/schema';
import { SpatialGrid, type ModeDefinition, type ModeInterest, type ModePlayer, type MovingCollection, type Point } from '@tickforge/shared';
import type { RoomClient } from './client';
import { ViewPatches, viewPatchesSupported } from './view-patches';

type Entity = Schema & Point;

/** One client's view: what the server decided it sees. */
class ClientView {
  readonly view = new StateView();
  readonly visible = new Set<Entity>();
  tick = 0;
}

export class Interest {
  private readonly decl: ModeInterest<unknown>;
  private readonly spatial: ReadonlyArray<{ forEach(visit: (e: Entity) => void): void } | MovingCollection<Entity>>;
  private readonly grid: SpatialGrid<Entity>;
  /** This tick's spatial entities, each with its slot in the grid (where its position is). */
  private readonly live = new Map<Entity, number>();
  private readonly at: Point = { x: 0, y: 0 };
  private readonly views = new Map<RoomClient, ClientView>();
  private readonly halfW: number;
  private readonly halfH: number;
  private readonly margin: number;
  private readonly centre: Point = { x: 0, y: 0 };
  private readonly it = { offset: 0 };
  private sharedOffset = 0;
  /** Every view's part found from what it sees (view-patches.ts); undefined: the library's encodeView per view. */
  private readonly patches: ViewPatches | undefined;
  private readonly liveViews: StateView[] = [];
  // The view being filled by `enter` (a bound callback, so the grid query allocates nothing).
  private filling: ClientView | undefined;
  private readonly enter = (e: Entity) => {
    const v = this.filling!;
    if (v.visible.has(e)) return;
    v.visible.add(e);
    v.view.add(e);
  };

  constructor(
    mode: ModeDefinition,
    private readonly state: object,
    private readonly encoder: Encoder,
  ) {
    const decl = mode.interest as ModeInterest<unknown>;
    this.decl = decl;
    this.spatial = decl.spatial(state) as unknown as typeof this.spatial;
    this.halfW = decl.viewWidth / 2;
    this.halfH = decl.viewHeight / 2;
    this.margin = decl.margin ?? 0.1 * Math.max(decl.viewWidth, decl.viewHeight);
    const world = mode.world!;
    this.grid = new SpatialGrid(world.width, world.height, decl.cellSize ?? Math.min(decl.viewWidth, decl.viewHeight) / 2);
    this.patches = viewPatchesSupported(encoder, new StateView()) ? new ViewPatches(encoder) : undefined;
  }

  /** Brings every seated client's view up to date with this tick's state. */
  update(tick: number, clients: Iterable<RoomClient>): void {
    const grid = this.grid;
    const live = this.live;
    grid.clear();
    live.clear();
    for (const coll of this.spatial) {
      if ('at' in coll) {
        const at = this.at;
        coll.of.forEach((e) => {
          coll.at(e, tick, at);
          live.set(e, grid.insert(e, at.x, at.y));
        });
      } else {
        coll.forEach((e) => void live.set(e, grid.insert(e, e.x, e.y)));
      }
    }
    const { halfW, halfH, margin, centre } = this;
    for (const c of clients) {
      if (c.phase === 'joining' || c.phase === 'gone') continue; // not in the mode yet, or no more
      let v = this.views.get(c);
      if (!v) this.views.set(c, (v = new ClientView()));
      v.tick = tick;
      const placed = this.decl.viewCentre(this.state, c.player, centre);
      const x0 = centre.x - halfW;
      const y0 = centre.y - halfH;
      const x1 = centre.x + halfW;
      const y1 = centre.y + halfH;
      for (const e of v.visible) {
        const slot = live.get(e);
        if (slot === undefined) {
          v.visible.delete(e); // removed from the state: its removal reaches this view by itself
          continue;
        }
        const x = grid.xAt(slot);
        const y = grid.yAt(slot);
        if (!placed || x < x0 - margin || x > x1 + margin || y < y0 - margin || y > y1 + margin) {
          v.visible.delete(e);
          v.view.remove(e);
        }
      }
      if (!placed) continue;
      this.filling = v;
      grid.query(x0, y0, x1, y1, this.enter);
      this.filling = undefined;
    }
    for (const [c, v] of this.views) {
      if (v.tick !== tick) {
        v.view.dispose();
        this.views.delete(c);
      }
    }
    grid.clear();
    live.clear();
  }

  /** Encodes the tick's shared part (everything outside the spatial collections); call once a tick. */
  encodeShared(): void {
    const it = this.it;
    it.offset = 0;
    this.encoder.encode(it);
    this.sharedOffset = it.offset;
    if (this.patches) {
      const views = this.liveViews;
      views.length = 0;
      for (const v of this.views.values()) views.push(v.view);
      this.patches.beginTick(views);
    }
  }

  /** This tick's patch for `client`: the shared part and its view's part (a new array). */
  patchFor(client: RoomClient): Uint8Array {
    const v = this.views.get(client);
    const it = this.it;
    const bytes = !v
      ? this.encoder.sharedBuffer.slice(0, this.sharedOffset)
      : this.patches
        ? this.patches.patchFor(v.view, this.sharedOffset, it)
        : this.encoder.encodeView(v.view, this.sharedOffset, it);
    it.offset = this.sharedOffset;
    return bytes;
  }

  /** The full state as `client` may see it (WELCOME, RESYNC): the shared state and its view. */
  fullStateFor(client: RoomClient): Uint8Array {
    const it = { offset: 0 };
    this.encoder.encodeAll(it);
    const v = this.views.get(client);
    if (!v) return this.encoder.sharedBuffer.slice(0, it.offset);
    const bytes = this.encoder.encodeAllView(v.view, it.offset, it);
    v.view.changes.clear(); // what the view's adds queued is in the full state already
    return bytes;
  }

  /** What the server decided `player` sees now (for tests and tools); undefined without a view. */
  visibleTo(player: ModePlayer): ReadonlySet<object> | undefined {
    for (const [c, v] of this.views) if (c.player.id === player.id && c.phase !== 'gone') return v.visible;
    return undefined;
  }
}
