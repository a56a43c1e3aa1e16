import type { Surface } from '../types.js';
import { createResponse } from './handlers.js';
import { openAIResponsesSurface } from './surface.js';

/** `POST /v1/responses`, metered as usage-record kind `responses`. */
export const openAIResponses: Surface = {
  name: 'openai-responses',
  prefix: '/v1/responses',
  errorBody: openAIResponsesSurface.errorBody,
  routes: [{ method: 'POST', url: '/v1/responses', handler: createResponse }],
};
