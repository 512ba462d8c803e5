export { buildApp, type AppOptions } from './app';
export { loadConfig, ConfigError, type ServerConfig } from './config';
export { ManualClock, systemClock, type Clock } from './clock';
export { TickLoop } from './tick-loop';
export { Room, type ClientSink, type RoomClient } from './room';
export { RoomRegistry } from './room-registry';
export { SeatTokens } from './seat-tokens';
export { shutDown } from './shutdown';
