import type { FastifyReply, FastifyRequest } from 'fastify';
import { abortOnClientClose } from '../../engine/client-connection.js';
import { runEmbeddings } from '../../engine/embeddings.js';
import { requestLogsFor, startCapture } from '../../request-logs/capture.js';
import { embeddingsSummary } from '../../request-logs/embeddings-summary.js';
import { validateEmbeddingsRequest as validate } from '../../surfaces/openai-embeddings/request.js';
import type { Gateway } from '../gateway.js';

/** `POST /v1/embeddings` (docs/contract.md §3). */
export async function handleEmbeddings(gw: Gateway, req: FastifyRequest, reply: FastifyReply) {
  const principal = req.principal;
  validate(req.body);
  const body = req.body as Record<string, any>;
  const signal = abortOnClientClose(reply.raw);
  const raw = req.rawBody ?? JSON.stringify(body);
  // Request logs (off unless enabled): the request as sent; the answer without its vectors.
  const logs = requestLogsFor(gw.requestLogs, gw.snapshot, principal);
  const log = logs && startCapture(logs, gw.snapshot, 'embeddings', raw, reply.raw, gw.sink);
  reply.hijack();
  await runEmbeddings({
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
    res: reply.raw,
    ...(log && { answered: (vectors: readonly unknown[]) => log.replaceResponse((rec) => embeddingsSummary(body.model, vectors, rec)) }),
  });
}
