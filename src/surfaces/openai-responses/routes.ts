import type { Surface } from '../types.js';
import { createResponse } from './handlers.js';
import { deleteResponse, getResponse, listInputItems } from './stored.js';
import { openAIResponsesSurface } from './surface.js';

/** `POST /v1/responses` (metered as usage-record kind `responses`) and the stored responses of the caller's team. */
export const openAIResponses: Surface = {
  name: 'openai-responses',
  prefix: '/v1/responses',
  errorBody: openAIResponsesSurface.errorBody,
  routes: [
    { method: 'POST', url: '/v1/responses', handler: createResponse },
    { method: 'GET', url: '/v1/responses/:id', handler: getResponse },
    { method: 'DELETE', url: '/v1/responses/:id', handler: deleteResponse },
    { method: 'GET', url: '/v1/responses/:id/input_items', handler: listInputItems },
  ],
};
