/**
 * Keeps @colyseus/schema's encoder from growing with every entity a room ever had.
 *
 * The encoder's `Root` counts references per refId in a plain object (`refCount`), and refIds are
 * never reused (a stable identity for the room's lifetime). When an instance leaves the state its
 * count is set to 0, not deleted, so the object holds one slot for every instance ever created:
 * arena's 16 players fire about 32 projectiles a second, so a room gained 32 slots a second, for
 * good. In the 30-minute soak of issue 12 (256 clients, 16 rooms) that was the server's whole
 * memory growth: the V8 heap's floor rose 0.25 MB a minute, and a heap snapshot diff showed the
 * rooms' `refCount` backing stores as the only growing objects (80 KB each after 7 minutes).
 *
 * The library reads a count of 0 for one thing only: a removed instance added back to the state
 * has its fields staged again as ADDs (`Root.add`: `previousRefCount === 0 || needsRestage`). So on
 * the removal that takes a count to 0, the entry is deleted and the instance is marked
 * `needsRestage` instead: re-adding it does exactly what it did, and the object holds only the
 * instances in the state (V8 turns a mostly-deleted integer-keyed object into a dictionary whose
 * size follows its live entries).
 */
import { $refId, type Encoder } from '@colyseus/schema';

interface RootInternals {
  refCount: Record<number, number>;
  remove(changeTree: { ref: object; needsRestage: boolean }): number;
}

export function boundEncoderMemory(encoder: Encoder): void {
  const root = encoder.root as unknown as RootInternals;
  const remove = root.remove.bind(root);
  // An own property: the library's recursive `this.remove(child)` calls come through here too.
  root.remove = (changeTree) => {
    const left = remove(changeTree);
    if (left <= 0) {
      delete root.refCount[(changeTree.ref as Record<symbol, number>)[$refId]!];
      changeTree.needsRestage = true;
    }
    return left;
  };
}
