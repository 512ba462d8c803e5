/**
 * One entry of GET /api/modes: what a client needs to know about a mode to play it without its
 * TypeScript (docs/protocol.md §1). The content is `describeMode` (shared/src/mode-api/
 * mode-catalog.ts: world, input layout, events, the state's field table, rules); this adds the
 * tick rate the rooms really run, and the schema Fastify serializes the answer through.
 */
import { describeMode, type ModeDefinition, type ModeInfo } from '@tickforge/shared';

/** `tickRateOverride`: the server's TICK_RATE, which every room runs instead of the mode's. */
export function modeInfo(mode: ModeDefinition<any, any>, tickRateOverride?: number): ModeInfo {
  return { ...describeMode(mode), tickRate: tickRateOverride ?? mode.tickRate };
}

const field = {
  type: 'object',
  required: ['name', 'kind', 'bytes'],
  properties: { name: { type: 'string' }, kind: { type: 'string' }, bytes: { type: 'integer' }, min: { type: 'number' }, max: { type: 'number' } },
} as const;

/** The JSON schema of a `modeInfo` entry (Fastify serializes the answer through it). */
export const modeInfoSchema = {
  type: 'object',
  required: ['name', 'title', 'description', 'lobby', 'maxPlayers', 'tickRate', 'input', 'events', 'state', 'rules'],
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    lobby: { type: 'boolean' },
    maxPlayers: { type: 'integer' },
    tickRate: { type: 'number' },
    world: { type: 'object', required: ['width', 'height'], properties: { width: { type: 'number' }, height: { type: 'number' } } },
    input: { type: 'object', required: ['bytes', 'fields'], properties: { bytes: { type: 'integer' }, fields: { type: 'array', items: field } } },
    events: {
      type: 'object',
      required: ['types'],
      properties: {
        types: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'bytes', 'fields'],
            properties: { name: { type: 'string' }, bytes: { type: 'integer' }, fields: { type: 'array', items: field } },
          },
        },
      },
    },
    // The field table's shape is StateFormat (shared/src/protocol/state-format.ts), sent whole.
    state: { type: 'object', additionalProperties: true },
    rules: { type: 'object', additionalProperties: { type: 'number' } },
  },
} as const;
