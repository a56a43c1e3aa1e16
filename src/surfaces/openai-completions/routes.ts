import { handleChat } from '../../server/routes/chat.js';
import type { Surface } from '../types.js';
import { openAICompletionsSurface } from './surface.js';

/** The legacy `POST /v1/completions` (docs/contract.md §3). */
export const openAICompletions: Surface = {
  name: 'openai-completions',
  prefix: '/v1/completions',
  errorBody: openAICompletionsSurface.errorBody,
  routes: [{ method: 'POST', url: '/v1/completions', handler: (app, req, reply) => handleChat(app.gateway, openAICompletionsSurface, req, reply) }],
};
