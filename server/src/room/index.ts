/**
 * The room's public API. The files, by job: room.ts (lifecycle and the order of one tick),
 * client-messages.ts (a client's messages), input-queue.ts (input frames per player and per tick),
 * tick-events.ts (the mode events of a tick),
 * snapshot-sender.ts (patches, RESYNC and WELCOMEs), seats.ts and held-players.ts (who may take a
 * place), limits.ts (every per-room limit), client.ts (a connection as the room sees it).
 */
export { Room, type RoomLog, type RoomOptions } from './room';
export type { AttachResult, ClientPhase, ClientSink, Departure, RoomClient } from './client';
export { DEFAULT_LIMITS, type RateLimit, type RoomLimits } from './limits';
export type { SeatReservation } from './seats';
