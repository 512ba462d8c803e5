/**
 * One entry of GET /api/modes: what a client needs to know about a mode before joining it. The
 * route is a one-liner over `modeInfo`; extend the entry here (function and schema together).
 */
import type { ModeDefinition, ModeInfo } from '@tickforge/shared';

export function modeInfo(mode: ModeDefinition<any, any>): ModeInfo {
  return { name: mode.name, title: mode.title, description: mode.description ?? '', maxPlayers: mode.maxPlayers, tickRate: mode.tickRate };
}

/** The JSON schema of a `modeInfo` entry (Fastify serializes the answer through it). */
export const modeInfoSchema = {
  type: 'object',
  required: ['name', 'title', 'description', 'maxPlayers', 'tickRate'],
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    maxPlayers: { type: 'integer' },
    tickRate: { type: 'number' },
  },
} as const;
