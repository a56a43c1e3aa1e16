import { handleChat } from '../../server/routes/chat.js';
import { handleCountTokens } from '../../server/routes/messages.js';
import type { Surface } from '../types.js';
import { anthropicMessagesSurface } from './surface.js';

/** `POST /v1/messages` and `/v1/messages/count_tokens`: Anthropic's Messages API in front of every provider (docs/contract.md §3). */
export const anthropicMessages: Surface = {
  name: 'anthropic-messages',
  prefix: '/v1/messages',
  errorBody: anthropicMessagesSurface.errorBody,
  routes: [
    { method: 'POST', url: '/v1/messages', handler: (app, req, reply) => handleChat(app.gateway, anthropicMessagesSurface, req, reply) },
    { method: 'POST', url: '/v1/messages/count_tokens', handler: (app, req, reply) => handleCountTokens(app.gateway, req, reply) },
  ],
};
