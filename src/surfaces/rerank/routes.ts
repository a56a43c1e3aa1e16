import { abortOnClientClose } from '../../engine/client-connection.js';
import { openAIErrorBody } from '../../engine/errors.js';
import { runRerank } from '../../engine/rerank.js';
import type { Surface, SurfaceHandler } from '../types.js';
import { validateRerankRequest } from './request.js';

const rerank: SurfaceHandler = async ({ gateway: gw }, req, reply) => {
  validateRerankRequest(req.body);
  const signal = abortOnClientClose(reply.raw);
  reply.hijack();
  await runRerank({
    requestId: req.id,
    startedAt: req.startedAt,
    principal: req.principal,
    snapshot: gw.snapshot,
    body: req.body as Record<string, any>,
    signal,
    sink: gw.sink,
    ...(gw.admission && { admission: gw.admission }),
    res: reply.raw,
  });
};

/**
 * `POST /v1/rerank`: Cohere's rerank body and answer, served by Cohere and by OpenAI-compatible
 * hosts with a rerank endpoint (Jina, Voyage); errors in OpenAI's envelope like every `/v1` API
 * but the Anthropic one.
 */
export const rerankSurface: Surface = {
  name: 'rerank',
  prefix: '/v1/rerank',
  errorBody: openAIErrorBody,
  routes: [{ method: 'POST', url: '/v1/rerank', handler: rerank }],
};
