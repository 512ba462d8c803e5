/**
 * JSON schemas of the HTTP API's answers (docs/protocol.md §1), shared by the routes. Fastify
 * serializes an answer through its schema, in the schema's property order, and leaves out any
 * property the schema does not name: a field added to an answer must be added here too.
 */
import { HttpErrorStatus } from '@tickforge/shared';

/** `{ statusCode, code, error, message }`, the body of every error answer. */
export const errorBody = {
  type: 'object',
  required: ['statusCode', 'code', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(HttpErrorStatus) },
    error: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

/** The error answers every API route can give. */
export const errorResponses = { '4xx': errorBody, '5xx': errorBody } as const;
