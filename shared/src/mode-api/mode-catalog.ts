/**
 * What GET /api/modes says about a mode: enough for a client in another language to play it
 * (tick rate, world, input layout, the state's field table, the rule constants). Built from the
 * mode definition alone, so the answer, docs/state-format.md and the SDKs read one source.
 */
import type { InputFieldInfo, ModeInfo } from '../protocol/http-api';
import type { InputField } from '../protocol/input-layout';
import { describeState } from '../protocol/state-format';
import type { ModeDefinition } from './define-mode';

export function describeMode(mode: ModeDefinition<any, any>): ModeInfo {
  return {
    name: mode.name,
    title: mode.title,
    description: mode.description ?? '',
    lobby: mode.lobby ?? true,
    maxPlayers: mode.maxPlayers,
    tickRate: mode.tickRate,
    ...(mode.world && { world: { width: mode.world.width, height: mode.world.height } }),
    input: { bytes: mode.input.bytes, fields: mode.input.fields.map(fieldInfo) },
    events: {
      types: (mode.events?.types ?? []).map((name) => ({ name, bytes: mode.events!.bytes[name]!, fields: mode.events!.fields[name]!.map(fieldInfo) })),
    },
    state: describeState(mode.State),
    rules: { ...mode.rules },
  };
}

function fieldInfo([name, f]: readonly [string, InputField<unknown>]): InputFieldInfo {
  return { name, kind: f.kind, bytes: f.bytes, ...(f.min !== undefined && { min: f.min }), ...(f.max !== undefined && { max: f.max }) };
}
