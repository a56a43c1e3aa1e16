import { openAIErrorBody } from '../../engine/errors.js';
import { handleEmbeddings } from '../../server/routes/embeddings.js';
import type { Surface } from '../types.js';

/** `POST /v1/embeddings` (docs/contract.md §3); the request check is in ./request.ts. */
export const openAIEmbeddings: Surface = {
  name: 'openai-embeddings',
  prefix: '/v1/embeddings',
  errorBody: openAIErrorBody,
  routes: [{ method: 'POST', url: '/v1/embeddings', handler: (app, req, reply) => handleEmbeddings(app.gateway, req, reply) }],
};
