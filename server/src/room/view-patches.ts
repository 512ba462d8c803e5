/**
 * Each client's part of an interest patch, built from what each view sees rather than by walking
 * everything that changed once per view (issue 16).
 *
 * @colyseus/schema's `encodeView(view)` walks every change tree the tick changed, for every view:
 * it tests the tree's visibility, and for a `.view()` map it tests every changed entry's child,
 * then encodes what passes. With 200 views that is 200 walks over the same few dozen trees and
 * their entries, most of which a given view does not see. Here the walk happens once a tick:
 *
 * - an entity (a filtered Schema of primitive fields, no `@view` tags) encodes its changed fields
 *   once, and the bytes go to the views whose visibility bit the entity carries;
 * - each changed entry of a `.view()` map encodes its operation once, and it goes to the views
 *   that see the entry's child (after the map's struct switch, once per view);
 * - a tree outside the views emits nothing in a view pass and is skipped.
 *
 * A client's part is then the library's `encodeView` over an empty change list (the view's own
 * queued adds and removals, exactly as before), followed by the pieces scattered to it, in the
 * change queue's order: the same bytes the library would have written, found from the other side.
 * A tick whose changes hold anything else (arrays, sets, tagged fields, nested filtered schemas)
 * is left to the library whole. Every client's mirror is checked against the server's view of it,
 * tick by tick, in server/test/interest.test.ts; the fairness test decodes the bytes on its own.
 *
 * It reads internals of the library (5.0.x): the change queue `encoder.root.changes`, each tree's
 * `encDescriptor`, `isFiltered`, `visibleViews`, `isVisibilitySharedWithParent`, `extraParents`,
 * a collection's `forEachWithCtx`, and a view's `_slot` / `_bit`. `viewPatchesSupported` checks
 * them on the live encoder; without them the caller uses `encodeView` as is.
 */
import { $changes, $childType, $getByIndex, $refId, MapSchema, encode, type Encoder, type StateView } from '@colyseus/schema';

interface Descriptor {
  isSchema: boolean;
  filter: unknown;
  filterBitmask: number;
  hasAnyUnreliable: boolean;
  hasAnyStream: boolean;
  metadata: Record<number, { type: unknown } | undefined> | undefined;
  encoder: (encoder: Encoder, bytes: Uint8Array, tree: ChangeTree, index: number, op: number, it: { offset: number }, all: boolean, hasView: boolean, metadata: unknown) => void;
}

interface ChangeTree {
  ref: any;
  isFiltered: boolean;
  isVisibilitySharedWithParent: boolean;
  extraParents: unknown;
  visibleViews: number[] | undefined;
  encDescriptor: Descriptor;
  has(): boolean;
  forEachWithCtx(ctx: unknown, cb: (ctx: unknown, index: number, op: number | undefined) => void): void;
}

interface ChangeNode {
  changeTree: ChangeTree;
  next: ChangeNode | undefined;
}

interface ChangeList {
  next: ChangeNode | undefined;
  tail: ChangeNode | undefined;
  nextPosition: number;
}

/** What is read of a StateView (its id, its visibility bit, the library's visibility test). */
interface View {
  id: number;
  _slot: number;
  _bit: number;
  /** The view's own queued adds and removals (by refId), which `encodeView` writes first. */
  changes: Map<number, unknown>;
  isChangeTreeVisible(tree: ChangeTree): boolean;
}

const SWITCH_TO_STRUCTURE = 255;

/** The library's visibility test of `tree` for `t`'s view. */
const sees = (t: Target, tree: ChangeTree) => (t.view as unknown as View).isChangeTreeVisible(tree);
const REF_KINDS = ['map', 'array', 'set', 'collection', 'stream'];

function isPrimitive(type: unknown): boolean {
  if (typeof type === 'string') return true;
  if (typeof type === 'function' || type === null || typeof type !== 'object') return false;
  return !REF_KINDS.some((k) => k in type);
}

const leafClasses = new WeakMap<Descriptor, boolean>();

/** A Schema class of primitive fields only (no child a decoder would need introduced first). */
function isLeaf(d: Descriptor): boolean {
  let leaf = leafClasses.get(d);
  if (leaf === undefined) {
    leaf = true;
    const md = d.metadata ?? {};
    for (let i = 0; md[i] !== undefined; i++) if (!isPrimitive(md[i]!.type)) leaf = false;
    leafClasses.set(d, leaf);
  }
  return leaf;
}

/** True when this library build has the internals `ViewPatches` reads. */
export function viewPatchesSupported(encoder: Encoder, probe: StateView): boolean {
  const root = (encoder as unknown as { root?: { changes?: unknown } }).root;
  const v = probe as unknown as Partial<View>;
  return (
    !!root &&
    typeof root.changes === 'object' &&
    root.changes !== null &&
    'next' in root.changes &&
    typeof v._slot === 'number' &&
    typeof v._bit === 'number' &&
    v.changes instanceof Map &&
    typeof v.isChangeTreeVisible === 'function' &&
    typeof encode.number === 'function'
  );
}

/** One client's pieces this tick: [start, end) pairs in the arena, in queue order. */
class Target {
  view!: StateView;
  readonly pieces: number[] = [];
  bytes = 0;
  /** The map whose struct switch this target's pieces last carried. */
  section: ChangeTree | undefined;
}

export class ViewPatches {
  private readonly root: { changes: ChangeList; streamTrees?: { size: number }; pendingFilterRefresh?: { length: number } };
  /** The change list `encodeView` walks while the pieces are scattered: empty. */
  private readonly empty: ChangeList = { next: undefined, tail: undefined, nextPosition: 0 };
  private arena = new Uint8Array(64 * 1024);
  private used = 0;
  private readonly it = { offset: 0 };
  /** Targets by view id (slot × 32 + bit): rebuilt every tick from the room's views. */
  private readonly byId: (Target | undefined)[] = [];
  private readonly targets = new Map<StateView, Target>();
  /** This tick's targets are the first `count`; the rest wait for views to come back. */
  private readonly pool: Target[] = [];
  private count = 0;
  /** False for a tick the library encodes whole (it changed something this file does not handle). */
  private scattered = false;
  /** This tick's shared bytes alone, copied once for every view that has nothing of its own. */
  private sharedOnly: Uint8Array | undefined;
  // The map entry callback's context (bound once, so forEachWithCtx allocates nothing).
  private map: ChangeTree | undefined;
  private readonly onEntry = (_ctx: unknown, index: number, op: number | undefined) => this.entry(index, op);

  constructor(private readonly encoder: Encoder) {
    this.root = (encoder as unknown as { root: ViewPatches['root'] }).root;
  }

  /** Sorts the tick's changes into every view's pieces; call after the shared encode, before any `patchFor`. */
  beginTick(views: Iterable<StateView>): void {
    this.used = 0;
    this.sharedOnly = undefined;
    this.byId.length = 0;
    this.targets.clear();
    let n = 0;
    for (const view of views) {
      const v = view as unknown as View;
      const t = (this.pool[n++] ??= new Target());
      t.view = view;
      t.pieces.length = 0;
      t.bytes = 0;
      t.section = undefined;
      this.targets.set(view, t);
      // A view that never held anything has no id yet (and no tree carries its bit).
      if (v.id >= 0) this.byId[v._slot * 32 + (31 - Math.clz32(v._bit))] = t;
    }
    this.count = n;
    this.scattered = this.handles();
    if (!this.scattered) return;
    for (let node = this.root.changes.next; node; node = node.next) {
      const tree = node.changeTree;
      if (!tree.has()) continue;
      const d = tree.encDescriptor;
      if (d.isSchema) {
        if (!tree.isFiltered) continue; // nothing of it in a view pass
        // Encoded once, for the first view that sees it: the bytes are the same for every view.
        const start = this.reserve(1024);
        let end = -1;
        this.forViewsOf(tree, (t) => {
          if (end < 0) end = this.encodeTree(tree, t.view, start);
          if (end > start) this.pushOwn(t, start, end);
        });
      } else if (tree.isFiltered) {
        this.map = tree;
        this.header(tree);
        tree.forEachWithCtx(undefined, this.onEntry);
        this.map = undefined;
      }
      // an unfiltered collection emits nothing in a view pass
    }
  }

  /** The shared part (`sharedOffset` bytes of the encoder's buffer) and `view`'s part: a new array. */
  patchFor(view: StateView, sharedOffset: number, it: { offset: number }): Uint8Array {
    if (!this.scattered) return this.encoder.encodeView(view, sharedOffset, it);
    const t = this.targets.get(view);
    if ((view as unknown as View).changes.size === 0 && !this.root.pendingFilterRefresh?.length) {
      // Nothing queued of its own: `encodeView` over the empty change list would answer the shared
      // bytes alone, so they are taken as they are (and shared by every view with no piece either).
      const shared = this.encoder.sharedBuffer.subarray(0, sharedOffset);
      if (!t || t.bytes === 0) return (this.sharedOnly ??= shared.slice());
      const out = new Uint8Array(sharedOffset + t.bytes);
      out.set(shared, 0);
      this.copyPieces(t, out, sharedOffset);
      return out;
    }
    const root = this.root;
    const changes = root.changes;
    root.changes = this.empty;
    let own: Uint8Array;
    try {
      own = this.encoder.encodeView(view, sharedOffset, it);
    } finally {
      root.changes = changes;
    }
    if (!t || t.bytes === 0) return own;
    const out = new Uint8Array(own.length + t.bytes);
    out.set(own, 0);
    this.copyPieces(t, out, own.length);
    return out;
  }

  /** Copies `t`'s pieces, in order, into `out` from `at`. */
  private copyPieces(t: Target, out: Uint8Array, at: number): void {
    const p = t.pieces;
    const arena = this.arena;
    for (let i = 0; i < p.length; i += 2) {
      out.set(arena.subarray(p[i]!, p[i + 1]!), at);
      at += p[i + 1]! - p[i]!;
    }
  }

  /** Whether every change of the tick is of a kind this file scatters (else the library does the tick). */
  private handles(): boolean {
    // Streams add to the change queue from inside encodeView (its priority pass): leave them to it.
    if ((this.root.streamTrees?.size ?? 0) > 0) return false;
    for (let node = this.root.changes.next; node; node = node.next) {
      const tree = node.changeTree;
      const d = tree.encDescriptor;
      if (d.hasAnyUnreliable || d.hasAnyStream) return false;
      if (d.isSchema) {
        if (d.filterBitmask !== 0 || d.filter !== undefined) return false;
        if (tree.isFiltered && !isLeaf(d)) return false;
      } else if (tree.isFiltered && !(tree.ref instanceof MapSchema)) {
        return false;
      }
    }
    return true;
  }

  /** One changed entry of the filtered map being scattered. */
  private entry(index: number, op: number | undefined): void {
    const map = this.map!;
    if (op === undefined) return;
    if (index < 0) {
      // A pure operation (CLEAR): one byte, to every view that sees the map.
      const start = this.reserve(1);
      this.arena[this.used++] = Math.abs(index) & 255;
      this.forViewsOfMap(map, start, this.used);
      return;
    }
    const ref = map.ref;
    const primitive = typeof ref[$childType] === 'string';
    const child: unknown = primitive ? undefined : (ref[$getByIndex](index) ?? ref.journal?.snapshotAt(index));
    const start = this.reserve(256);
    const d = map.encDescriptor;
    for (;;) {
      const it = this.it;
      it.offset = start;
      d.encoder(this.encoder, this.arena, map, index, op, it, false, true, d.metadata);
      if (it.offset <= this.arena.length) {
        this.used = it.offset;
        break;
      }
      this.grow(it.offset);
    }
    if (this.used === start) return;
    if (primitive) {
      this.forViewsOfMap(map, start, this.used);
      return;
    }
    const childTree = (child as Record<symbol, unknown> | undefined)?.[$changes] as ChangeTree | undefined;
    if (!childTree) return;
    const end = this.used;
    this.forViewsOf(childTree, (t) => {
      if (sees(t, map)) this.pushInSection(t, map, start, end);
    });
  }

  /** An entry every view that sees the map receives (a pure operation, a primitive value). */
  private forViewsOfMap(map: ChangeTree, start: number, end: number): void {
    for (let i = 0; i < this.count; i++) {
      const t = this.pool[i]!;
      if (sees(t, map)) this.pushInSection(t, map, start, end);
    }
  }

  /** Calls `visit` for the target of every view that sees `tree` (as the library's visibility test says). */
  private forViewsOf(tree: ChangeTree, visit: (t: Target) => void): void {
    if (tree.isVisibilitySharedWithParent || tree.extraParents !== undefined) {
      for (let i = 0; i < this.count; i++) if (sees(this.pool[i]!, tree)) visit(this.pool[i]!);
      return;
    }
    const words = tree.visibleViews;
    if (!words) return;
    for (let w = 0; w < words.length; w++) {
      let bits = words[w]!;
      while (bits !== 0) {
        const bit = bits & -bits;
        bits ^= bit;
        const t = this.byId[w * 32 + (31 - Math.clz32(bit))];
        if (t) visit(t);
      }
    }
  }

  /** Encodes `tree`'s view-pass bytes (its struct switch and changed fields) at `start`; answers their end. */
  private encodeTree(tree: ChangeTree, view: StateView, start: number): number {
    const root = this.root;
    const changes = root.changes;
    const node: ChangeNode = { changeTree: tree, next: undefined };
    root.changes = { next: node, tail: node, nextPosition: 0 };
    let out: Uint8Array;
    try {
      out = this.encoder.encode({ offset: start }, view, this.arena, start) as Uint8Array;
    } finally {
      root.changes = changes;
    }
    // `encode` answers a view of its buffer from 0 to the end, a larger copy if it had to grow.
    if (out.buffer !== this.arena.buffer) this.arena = new Uint8Array(out.buffer as ArrayBuffer);
    this.used = out.length;
    return out.length;
  }

  private push(t: Target, start: number, end: number): void {
    t.pieces.push(start, end);
    t.bytes += end - start;
  }

  /** A tree's own section (it starts with its struct switch): what follows needs the map's again. */
  private pushOwn(t: Target, start: number, end: number): void {
    t.section = undefined;
    this.push(t, start, end);
  }

  /** A map entry's bytes for `t`, after the map's struct switch if `t`'s last piece was not in it. */
  private pushInSection(t: Target, map: ChangeTree, start: number, end: number): void {
    if (t.section !== map) {
      t.section = map;
      this.push(t, this.headerAt, this.headerEnd);
    }
    this.push(t, start, end);
  }

  private headerAt = 0;
  private headerEnd = 0;

  /** Writes `map`'s struct switch (SWITCH_TO_STRUCTURE, its refId) once, for the entries that follow. */
  private header(map: ChangeTree): void {
    const start = this.reserve(16);
    this.arena[start] = SWITCH_TO_STRUCTURE;
    const it = this.it;
    it.offset = start + 1;
    encode.number(this.arena, map.ref[$refId] as number, it);
    this.used = it.offset;
    this.headerAt = start;
    this.headerEnd = it.offset;
  }

  /** Makes room for `n` more bytes at the arena's end; answers where they start. */
  private reserve(n: number): number {
    if (this.used + n > this.arena.length) this.grow(this.used + n);
    return this.used;
  }

  private grow(atLeast: number): void {
    let size = this.arena.length * 2;
    while (size < atLeast) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.arena.subarray(0, this.used));
    this.arena = next;
  }
}
