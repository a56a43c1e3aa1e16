import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { authenticate } from '../../engine/auth.js';
import { abortOnClientClose } from '../../engine/client-connection.js';
import { runEmbeddings } from '../../engine/embeddings.js';
import { requestLogsFor, startCapture } from '../../request-logs/capture.js';
import { embeddingsSummary } from '../../request-logs/embeddings-summary.js';
import { compileBodyCheck } from '../openai/validate.js';

const validate = compileBodyCheck(
  Type.Object({
    model: Type.String({ minLength: 1 }),
    input: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 }), Type.Array(Type.Integer(), { minItems: 1 }), Type.Array(Type.Array(Type.Integer()), { minItems: 1 })]),
    dimensions: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536 })),
    encoding_format: Type.Optional(Type.Union([Type.Literal('float'), Type.Literal('base64')])),
  }),
  'embeddings request',
);

/** `POST /v1/embeddings` (docs/contract.md §3). */
export const embeddingRoutes: FastifyPluginAsync = async (app) => {
  app.post('/v1/embeddings', async (req, reply) => {
    const gw = app.gateway;
    const principal = await authenticate(req.headers, gw.snapshot, gw.keys);
    validate(req.body);
    const body = req.body as Record<string, any>;
    const signal = abortOnClientClose(reply.raw);
    const raw = req.rawBody ?? JSON.stringify(body);
    // Request logs (off unless enabled): the request as sent; the answer without its vectors.
    const logs = requestLogsFor(gw.requestLogs, gw.snapshot, principal);
    const log = logs && startCapture(logs, gw.snapshot, 'embeddings', raw, reply.raw, gw.sink);
    const r = await runEmbeddings({
      requestId: req.id,
      startedAt: req.startedAt,
      principal,
      snapshot: gw.snapshot,
      body,
      raw,
      signal,
      sink: log?.sink ?? gw.sink,
      ...(gw.admission && { admission: gw.admission }),
      trace: gw.tracing?.request({ snapshot: gw.snapshot, headers: req.headers, startedAt: req.startedAt, requestId: req.id, operation: 'embeddings', body }),
    });
    log?.replaceResponse((rec) => embeddingsSummary(body.model, r.vectors, rec));
    return reply.code(r.status).headers({ ...r.headers, 'x-request-id': req.id }).type('application/json').send(r.payload);
  });
};
