import type { FastifyBaseLogger } from 'fastify';
import { redactSecrets } from '../../engine/errors.js';
import type { ResponsesStore, StoredResponseRow } from '../../storage/ports.js';
import { normaliseInput } from './items.js';

/**
 * The most a stored response may hold (input items + output items + the response object, JSON
 * characters). A larger answer is still sent, but not kept: the skip is logged, and a continuation
 * from it is answered 404.
 */
export const MAX_STORED_CHARS = 32 * 1024 * 1024;

export interface KeepContext {
  repo: ResponsesStore;
  /** The caller's team ('' without one). */
  teamId: string;
  /** The request as the engine ran it (`input` with any continued history first). */
  body: Record<string, any>;
  log: FastifyBaseLogger;
  secrets: readonly string[];
}

/**
 * The engine's `keep` hook for a request with `store`: after the answer is sent, on a later turn
 * of the event loop, the row is built from the final body (or the stream's last event) and
 * written. The client never waits for it; a failure is logged, never answered.
 */
export function responseKeeper(ctx: KeepContext): (final: string) => void {
  return (final) => {
    setImmediate(() => {
      write(ctx, final).catch((err: Error) => ctx.log.error({ err: { message: redactSecrets(err.message, ctx.secrets) } }, 'responses: storing the response failed; it was answered but is not kept'));
    });
  };
}

async function write(ctx: KeepContext, final: string): Promise<void> {
  const response = finalResponse(final);
  if (!response || typeof response.id !== 'string') throw new Error('the final answer holds no response object');
  const row: StoredResponseRow = {
    id: response.id,
    teamId: ctx.teamId,
    createdAt: Date.now(),
    model: String(response.model ?? ctx.body.model),
    inputItems: JSON.stringify(normaliseInput(ctx.body.input)),
    instructions: typeof ctx.body.instructions === 'string' ? ctx.body.instructions : null,
    outputItems: JSON.stringify(Array.isArray(response.output) ? response.output : []),
    response: JSON.stringify(response),
  };
  const size = row.inputItems.length + row.outputItems.length + row.response.length;
  if (size > MAX_STORED_CHARS) {
    ctx.log.warn({ responseId: row.id, size, max: MAX_STORED_CHARS }, 'responses: the response is too large to keep; it was answered but is not stored');
    return;
  }
  await ctx.repo.put(row);
}

/** A JSON response body, or a stream's terminal event (`data: {"type":"response.completed","response":{…}}`): the response object. */
function finalResponse(final: string): Record<string, any> | undefined {
  const data = final.indexOf('data: ');
  if (!final.startsWith('{') && data < 0) return undefined;
  const v = JSON.parse(final.startsWith('{') ? final : final.slice(data + 6));
  return v?.object === 'response' ? v : v?.response;
}
