import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayErrorShape } from '../../providers/types.js';
import type { PromptLibrary } from '../prompts/library.js';
import type { Gateway } from '../server/gateway.js';

/** What a surface's handlers share: the running gateway and the prompt library. */
export interface SurfaceApp {
  gateway: Gateway;
  prompts: PromptLibrary;
}

export type SurfaceHandler = (app: SurfaceApp, req: FastifyRequest, reply: FastifyReply) => unknown;

export interface SurfaceRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** A fastify route path (`/v1/prompts/:name`). */
  url: string;
  handler: SurfaceHandler;
}

/** One client-facing API dialect: its routes and the error envelope its clients parse. */
export interface Surface {
  name: string;
  /**
   * Errors on every URL under this prefix — its routes, and 404s beneath them — are written with
   * `errorBody` (the longest matching prefix wins; elsewhere, OpenAI's envelope).
   */
  prefix: string;
  errorBody(e: GatewayErrorShape): unknown;
  routes: readonly SurfaceRoute[];
}
