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
 *
 * State integrity under interest: a client's STATE_HASH is the hash of what its view holds (the
 * shared state and the spatial entries it sees), and each client's comes on a tick of its own,
 * so a tick hashes about a `hashEvery`-th of the views instead of every 15th tick hashing all of
 * them at once (`hashDue`, `hashFor`; the sender hashes them just after the tick, and each goes
 * in front of the client's next patch).
 *
 * Bookkeeping without hash lookups: each spatial entity carries a small integer id (a symbol-keyed
 * property, reused once the entity has left the state), so a view's membership is a byte per id
 * and where an entity is this tick is an array read. Per tick and view, that replaces one Map
 * lookup per visible entity and one Set test per entity in its rectangle.
 */
import { StateView, type Encoder, type Schema } from '@colyseus/schema';
import { SpatialGrid, stateHash, type HashedEntries, type ModeDefinition, type ModeInterest, type ModePlayer, type MovingCollection, type Point } from '@tickforge/shared';
import type { RoomClient } from './client';
import { ViewPatches, viewPatchesSupported } from './view-patches';

/** The entity's interest id (see the file comment): valid while `Interest.owner[id]` is the entity. */
const ID = Symbol('tickforge.interestId');
type Entity = Schema & Point & { [ID]?: number };

/** One client's view: what the server decided it sees. */
class ClientView {
  readonly view = new StateView();
  /** Ids of the entities it sees, in no order (entries whose `has` byte was cleared are dropped as met). */
  ids: number[] = [];
  /** 1 for every id it sees. */
  has: Uint8Array;
  tick = 0;

  constructor(capacity: number) {
    this.has = new Uint8Array(capacity);
  }
}

export class Interest {
  private readonly decl: ModeInterest<unknown>;
  private readonly spatial: ReadonlyArray<{ forEach(visit: (e: Entity, key: string) => void): void } | MovingCollection<Entity>>;
  /** The spatial maps themselves (a MovingCollection's `of`), in the order of `spatial`. */
  private readonly maps: object[];
  private readonly grid: SpatialGrid<Entity>;
  /** Id → the entity holding it (undefined: free). */
  private readonly owner: (Entity | undefined)[] = [];
  private readonly free: number[] = [];
  /** Id → the last tick its entity was in the state, and its slot in the grid that tick (where its position is). */
  private seenAt = new Int32Array(64);
  private slotOf = new Int32Array(64);
  /** Id → its entity's key in its map this tick, and that map's index in `maps`. */
  private readonly keyOf: string[] = [];
  private mapOf = new Uint8Array(64);
  /** This tick's spatial entities without an id yet, their positions, keys and maps. */
  private readonly unnamed: Entity[] = [];
  private readonly unnamedAt: number[] = [];
  private readonly unnamedKey: string[] = [];
  private readonly unnamedMap: number[] = [];
  /** The map `index` is visiting (set by `eachSpatial`). */
  private visiting = 0;
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
    const id = e[ID]!;
    if (v.has[id] === 1) return;
    v.has[id] = 1;
    v.ids.push(id);
    v.view.add(e);
  };
  // Indexes one spatial entity at (x, y) this tick (`tick` set by `update`).
  private tick = 0;
  private readonly index = (e: Entity, key: string, x: number, y: number) => {
    const id = e[ID];
    if (id === undefined || this.owner[id] !== e) {
      // Named (and indexed) once the ids of the entities gone are free.
      this.unnamed.push(e);
      this.unnamedAt.push(x, y);
      this.unnamedKey.push(key);
      this.unnamedMap.push(this.visiting);
      return;
    }
    this.seenAt[id] = this.tick;
    this.slotOf[id] = this.grid.insert(e, x, y);
    this.keyOf[id] = key;
    this.mapOf[id] = this.visiting;
  };
  // The view being hashed by `hashFor`, and what it holds of a spatial map (a bound callback).
  private hashing: ClientView | undefined;
  private readonly held: HashedEntries = (collection) => {
    const k = this.maps.indexOf(collection);
    if (k < 0) return undefined; // not spatial: every client holds all of it
    const out: [string, Entity][] = [];
    const v = this.hashing;
    if (!v) return out;
    const { has, ids } = v;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (has[id] === 1 && this.mapOf[id] === k) out.push([this.keyOf[id]!, this.owner[id]!]);
    }
    return out;
  };

  constructor(
    mode: ModeDefinition,
    private readonly state: object,
    private readonly encoder: Encoder,
    /** Ticks between two STATE_HASHes of one client (Room.stateHashEvery). */
    private readonly hashEvery: number,
  ) {
    const decl = mode.interest as ModeInterest<unknown>;
    this.decl = decl;
    this.spatial = decl.spatial(state) as unknown as typeof this.spatial;
    if (this.spatial.length > 255) throw new Error('interest: at most 255 spatial collections');
    this.maps = this.spatial.map((coll) => ('at' in coll ? coll.of : coll));
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
    grid.clear();
    this.tick = tick;
    this.eachSpatial(tick, this.index);
    this.freeIdsOfTheGone(tick);
    if (this.unnamed.length > 0) this.nameNewcomers(tick);
    const { halfW, halfH, margin, centre, slotOf, owner } = this;
    const capacity = this.seenAt.length;
    for (const c of clients) {
      if (c.phase === 'joining' || c.phase === 'gone') continue; // not in the mode yet, or no more
      let v = this.views.get(c);
      if (!v) this.views.set(c, (v = new ClientView(capacity)));
      else if (v.has.length < capacity) v.has = grown(v.has, capacity);
      v.tick = tick;
      const placed = this.decl.viewCentre(this.state, c.player, centre);
      const x0 = centre.x - halfW;
      const y0 = centre.y - halfH;
      const x1 = centre.x + halfW;
      const y1 = centre.y + halfH;
      const ids = v.ids;
      const has = v.has;
      let kept = 0;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (has[id] === 0) continue; // removed from the state: its removal reaches this view by itself
        const slot = slotOf[id]!;
        const x = grid.xAt(slot);
        const y = grid.yAt(slot);
        if (!placed || x < x0 - margin || x > x1 + margin || y < y0 - margin || y > y1 + margin) {
          has[id] = 0;
          v.view.remove(owner[id]!);
          continue;
        }
        ids[kept++] = id;
      }
      ids.length = kept;
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
  }

  /** Calls `visit` with every spatial entity, its key and its position at `tick` (`visiting`: its map). */
  private eachSpatial(tick: number, visit: (e: Entity, key: string, x: number, y: number) => void): void {
    for (let k = 0; k < this.spatial.length; k++) {
      const coll = this.spatial[k]!;
      this.visiting = k;
      if ('at' in coll) {
        const at = this.at;
        coll.of.forEach((e, key) => {
          coll.at(e, tick, at);
          visit(e, key, at.x, at.y);
        });
      } else {
        coll.forEach((e, key) => visit(e, key, e.x, e.y));
      }
    }
  }

  /** Frees the id of every entity no longer in the state, and clears it from every view. */
  private freeIdsOfTheGone(tick: number): void {
    const { owner, seenAt } = this;
    for (let id = 0; id < owner.length; id++) {
      if (owner[id] === undefined || seenAt[id] === tick) continue;
      owner[id] = undefined;
      this.free.push(id);
      for (const v of this.views.values()) if (id < v.has.length) v.has[id] = 0;
    }
  }

  /** Gives this tick's new entities an id (a freed one first) and indexes them. */
  private nameNewcomers(tick: number): void {
    const news = this.unnamed;
    const at = this.unnamedAt;
    for (let i = 0; i < news.length; i++) {
      const e = news[i]!;
      let id = this.free.pop();
      if (id === undefined) {
        id = this.owner.length;
        this.owner.push(undefined);
        if (id >= this.seenAt.length) {
          this.seenAt = grown(this.seenAt, this.seenAt.length * 2);
          this.slotOf = grown(this.slotOf, this.slotOf.length * 2);
          this.mapOf = grown(this.mapOf, this.mapOf.length * 2);
        }
      }
      this.owner[id] = e;
      e[ID] = id;
      this.seenAt[id] = tick;
      this.slotOf[id] = this.grid.insert(e, at[2 * i]!, at[2 * i + 1]!);
      this.keyOf[id] = this.unnamedKey[i]!;
      this.mapOf[id] = this.unnamedMap[i]!;
    }
    news.length = 0;
    at.length = 0;
    this.unnamedKey.length = 0;
    this.unnamedMap.length = 0;
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

  /**
   * The hash of the state as `client` holds it after this tick's patch: the shared state and the
   * spatial entries its view has (shared/src/protocol/state-hash.ts). Call after `update`.
   */
  hashFor(client: RoomClient): number {
    this.hashing = this.views.get(client);
    try {
      return stateHash(this.state as Schema, this.held);
    } finally {
      this.hashing = undefined;
    }
  }

  /**
   * Whether `client`'s STATE_HASH is due at `tick`: every `hashEvery` ticks, on a tick of its own
   * (by player id), so that 200 views are not all hashed in the same tick.
   */
  hashDue(client: RoomClient, tick: number): boolean {
    return (tick + client.player.id) % this.hashEvery === 0;
  }

  /** What the server decided `player` sees now (for tests and tools); undefined without a view. */
  visibleTo(player: ModePlayer): ReadonlySet<object> | undefined {
    for (const [c, v] of this.views) {
      if (c.player.id === player.id && c.phase !== 'gone') return new Set(v.ids.filter((id) => v.has[id] === 1).map((id) => this.owner[id]!));
    }
    return undefined;
  }
}

function grown<A extends Uint8Array | Int32Array>(a: A, size: number): A {
  const b = new (a.constructor as new (n: number) => A)(size);
  b.set(a);
  return b;
}
