/**
 * The Fastify errors docs/protocol.md lists are the ones a client can really provoke on the
 * matchmaking route, each with its documented status and the common error body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpErrorStatus, type HttpErrorCode } from '@tickforge/shared';
import { buildApp, loadConfig } from '@tickforge/server';

let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  app = await buildApp({ config: loadConfig({}, { logLevel: 'silent', matchmakeRateLimit: 0, clientDir: '/nonexistent' }) });
});
afterAll(() => app.close());

const cases: [HttpErrorCode, string | undefined, string][] = [
  ['FST_ERR_VALIDATION', 'application/json', '{"name":"ann"}'],
  ['FST_ERR_CTP_EMPTY_JSON_BODY', 'application/json', ''],
  ['FST_ERR_CTP_INVALID_JSON_BODY', 'application/json', '{"mode":'],
  ['FST_ERR_CTP_BODY_TOO_LARGE', 'application/json', JSON.stringify({ mode: 'x'.repeat(1024 * 1024) })],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'application/xml', '<mode>arena</mode>'],
];

describe('Fastify errors of POST /api/matchmake', () => {
  for (const [code, type, body] of cases) {
    it(`${code} answers ${HttpErrorStatus[code]} with the common error body`, async () => {
      const res = await app.inject({ method: 'POST', url: '/api/matchmake', headers: type ? { 'content-type': type } : {}, payload: body });
      expect(res.statusCode).toBe(HttpErrorStatus[code]);
      expect(Object.keys(res.json()).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
      expect(res.json()).toMatchObject({ statusCode: HttpErrorStatus[code], code });
    });
  }
});
