/**
 * The mode events of the tick being computed (Quake III's temp entities): what `ctx.emit` collects.
 * Each event is checked and encoded when emitted (a bad one throws in the mode's hook, which stops
 * the room like any rule error), so sending costs one copy into the tick's shared patch. The room
 * clears them at the start of every tick: an event lives exactly one tick.
 */
import { ByteWriter, type EventLayout, type ModeEvent } from '@tickforge/shared';

export class TickEvents {
  private readonly writer = new ByteWriter(new Uint8Array(256));
  private readonly emitted: ModeEvent[] = [];

  constructor(private readonly layout: EventLayout<ModeEvent> | undefined) {}

  /** The events of this tick, as emitted (copies: a mode may reuse its objects). */
  get list(): readonly ModeEvent[] {
    return this.emitted;
  }

  /** The encoded events of this tick, or undefined when there are none (the patch then carries no section). */
  get bytes(): Uint8Array | undefined {
    return this.emitted.length === 0 ? undefined : this.writer.bytes.subarray(0, this.writer.offset);
  }

  emit(event: ModeEvent): void {
    if (!this.layout) throw new Error(`emitted an event ("${String(event?.type)}") but the mode declares no events`);
    const at = this.writer.offset;
    try {
      this.layout.write(this.writer, event);
    } catch (err) {
      this.writer.offset = at; // the bad event never reaches the wire
      throw err;
    }
    this.emitted.push({ ...event });
  }

  clear(): void {
    if (this.emitted.length === 0) return;
    this.emitted.length = 0;
    this.writer.offset = 0;
  }
}
