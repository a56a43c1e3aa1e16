import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, invalidRequest } from '../../engine/errors.js';
import type { ResponsesStore } from '../../storage/ports.js';
import type { SurfaceApp } from '../types.js';

/**
 * `GET` / `DELETE /v1/responses/{id}` and `GET /v1/responses/{id}/input_items`: the caller's
 * team's stored responses only. Another team's id answers exactly as an unknown one (404), so
 * whether it exists elsewhere is never told.
 */
export async function getResponse(app: SurfaceApp, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { id, repo, teamId } = target(app, req);
  const row = await repo?.get(id, teamId);
  if (!row) throw responseNotFound(id);
  return reply.type('application/json').send(row.response);
}

export async function deleteResponse(app: SurfaceApp, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { id, repo, teamId } = target(app, req);
  if (!(await repo?.delete(id, teamId))) throw responseNotFound(id);
  return reply.send({ id, object: 'response', deleted: true });
}

const MAX_LIMIT = 100;

/** One page of a stored response's input items: `limit` 1..100 (20), `order` asc|desc (desc, newest first), `after` an item id. */
export async function listInputItems(app: SurfaceApp, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { id, repo, teamId } = target(app, req);
  const q = req.query as Record<string, unknown>;
  const limit = q.limit === undefined ? 20 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw invalidRequest(`Invalid value for 'limit': an integer from 1 to ${MAX_LIMIT}.`, 'limit');
  const order = q.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidRequest(`Invalid value for 'order': asc or desc.`, 'order');
  if (q.after !== undefined && typeof q.after !== 'string') throw invalidRequest(`Invalid value for 'after': one item id.`, 'after');
  const stored = await repo?.listInputItems(id, teamId);
  if (stored === undefined) throw responseNotFound(id);
  const items = JSON.parse(stored) as Array<{ id?: string }>;
  if (order === 'desc') items.reverse();
  let start = 0;
  if (q.after !== undefined) {
    const at = items.findIndex((it) => it?.id === q.after);
    if (at < 0) throw invalidRequest(`No input item with id '${q.after}' in response '${id}'.`, 'after');
    start = at + 1;
  }
  const data = items.slice(start, start + limit);
  return reply.send({ object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + limit < items.length });
}

function target(app: SurfaceApp, req: FastifyRequest): { id: string; repo: ResponsesStore | undefined; teamId: string } {
  return { id: (req.params as { id: string }).id, repo: app.gateway.responses, teamId: req.principal.teamId ?? '' };
}

const responseNotFound = (id: string) => new GatewayError({ status: 404, type: 'invalid_request_error', code: 'not_found', param: null, message: `Response with id '${id}' not found.` });
