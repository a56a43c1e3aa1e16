import { handleChat } from '../../server/routes/chat.js';
import type { Surface } from '../types.js';
import { openAIResponsesSurface } from './surface.js';

/** `POST /v1/responses`, metered as usage-record kind `responses`. */
export const openAIResponses: Surface = {
  name: 'openai-responses',
  prefix: '/v1/responses',
  errorBody: openAIResponsesSurface.errorBody,
  routes: [{ method: 'POST', url: '/v1/responses', handler: (app, req, reply) => handleChat(app.gateway, openAIResponsesSurface, req, reply, { kind: 'responses' }) }],
};
