import { defineEvents, type EventOf } from '../../protocol/event-layout';
import { field } from '../../protocol/input-layout';

/**
 * Arena's one-tick events. `kill`: `killer`'s projectile took `victim`'s last hit point this tick
 * (the victim has already respawned in the same tick's state; `killer` may have left the room).
 * 5 bytes on the wire: the type byte and two player ids.
 */
export const ArenaEvents = defineEvents({
  kill: { killer: field.uint16(), victim: field.uint16() },
});
export type ArenaEvent = EventOf<typeof ArenaEvents>;
