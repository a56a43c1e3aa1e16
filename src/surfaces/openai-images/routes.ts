import { openAIErrorBody } from '../../engine/errors.js';
import type { Surface } from '../types.js';
import { handleImages } from './handler.js';

/** `POST /v1/images/generations`; the request check is in ./request.ts, pricing in ./price.ts. */
export const openAIImages: Surface = {
  name: 'openai-images',
  prefix: '/v1/images',
  errorBody: openAIErrorBody,
  routes: [{ method: 'POST', url: '/v1/images/generations', handler: (app, req, reply) => handleImages(app.gateway, req, reply) }],
};
