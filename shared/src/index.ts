export * from './protocol/constants';
export * from './protocol/bytes';
export * from './protocol/input-layout';
export * from './protocol/messages';
export * from './mode/define-mode';
export * from './mode/random';
export { modes, findMode } from './mode/registry';
export * from './client/game-client';
