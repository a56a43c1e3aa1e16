import { handleChat } from '../../server/routes/chat.js';
import type { Surface } from '../types.js';
import { openAIChatSurface } from './surface.js';

/** `POST /v1/chat/completions` (docs/contract.md §3). */
export const openAIChat: Surface = {
  name: 'openai-chat',
  prefix: '/v1/chat/completions',
  errorBody: openAIChatSurface.errorBody,
  routes: [{ method: 'POST', url: '/v1/chat/completions', handler: (app, req, reply) => handleChat(app.gateway, openAIChatSurface, req, reply) }],
};
