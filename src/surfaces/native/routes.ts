import { openAIErrorBody } from '../../engine/errors.js';
import type { Surface } from '../types.js';
import { handleNative } from './handler.js';

/** `POST /providers/{name}/…`: a native request forwarded to one configured provider, metered (./handler.ts). */
export const nativeProviders: Surface = {
  name: 'native',
  prefix: '/providers/',
  errorBody: openAIErrorBody,
  routes: [{ method: 'POST', url: '/providers/:name/*', handler: (app, req, reply) => handleNative(app.gateway, req, reply) }],
};
