import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayErrorShape } from '../../providers/types.js';
import { GatewayError, redactSecrets, retryHeaders } from '../engine/errors.js';
import { errorBodyFor } from '../surfaces/index.js';

/** fastify's own errors (body too large, bad content type, JSON syntax) → the gateway's shape. */
export function toShape(err: FastifyError | GatewayError | Error, secrets: readonly string[]): GatewayErrorShape {
  if (err instanceof GatewayError) return err.shape;
  const f = err as FastifyError;
  switch (f.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, type: 'invalid_request_error', code: 'request_too_large', message: 'The request body is larger than this gateway accepts.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, type: 'invalid_request_error', code: 'unsupported_media_type', message: `Unsupported content type: send 'application/json'.` };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, type: 'invalid_request_error', code: 'invalid_json', message: 'The request body is empty; a JSON object was expected.' };
  }
  if (f.statusCode && f.statusCode >= 400 && f.statusCode < 500) {
    return { status: f.statusCode, type: 'invalid_request_error', code: null, message: redactSecrets(f.message, secrets) };
  }
  return { status: 500, type: 'api_error', code: 'internal_error', message: 'The gateway failed to handle this request.' };
}

/** Each surface writes errors in its own envelope (src/surfaces/index.ts); the default is OpenAI's. */
export function sendError(req: FastifyRequest, reply: FastifyReply, shape: GatewayErrorShape): FastifyReply {
  reply.headers(retryHeaders(shape));
  return reply.code(shape.status).header('x-request-id', req.id).send(errorBodyFor(req.url)(shape));
}
