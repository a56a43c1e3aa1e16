import { openAIErrorBody } from '../../engine/errors.js';
import { callPrompt } from '../../server/routes/prompts.js';
import type { Surface, SurfaceHandler } from '../types.js';

const call: SurfaceHandler = (app, req, reply) => {
  const { name, version } = req.params as { name: string; version?: string };
  return callPrompt(app.gateway, app.prompts, req, reply, name, version);
};

/**
 * Prompt calls (docs/contract.md §5): `POST /v1/prompts/{name}` (latest version) and
 * `POST /v1/prompts/{name}/versions/{version}`. Listing and publishing stay in the prompt routes.
 */
export const prompts: Surface = {
  name: 'prompts',
  prefix: '/v1/prompts',
  errorBody: openAIErrorBody,
  routes: [
    { method: 'POST', url: '/v1/prompts/:name', handler: call },
    { method: 'POST', url: '/v1/prompts/:name/versions/:version', handler: call },
  ],
};
