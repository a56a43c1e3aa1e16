import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UpstreamRequest } from '../../../providers/adapter.js';
import { admitTraced, type AdmissionTicket } from '../../engine/admission.js';
import { abortOnClientClose } from '../../engine/client-connection.js';
import { dispatch } from '../../engine/dispatch.js';
import { upstreamJson, writeJsonAnswerHead } from '../../engine/json-answer.js';
import { invalidRequest } from '../../engine/errors.js';
import { setTopLevel } from '../../engine/json-splice.js';
import { passesThrough } from '../../engine/passthrough.js';
import type { AliasTarget } from '../../engine/runtime.js';
import { answeredBy, resolveOneShot, writeOneShotFailure } from '../../engine/one-shot.js';
import { settleOnceFor } from '../../engine/settle.js';
import { malformedUpstream } from '../../engine/upstream-failure.js';
import { tokenUpperBound } from '../../metering/tokens.js';
import type { UsageRecord } from '../../metering/usage-record.js';
import type { Gateway } from '../../server/gateway.js';
import { imageCost, imagePrices, imageUsage, imageWorstCaseNanos, type ImageAsk } from './price.js';
import { validateImagesRequest } from './request.js';

/** The wire format of `POST /v1/images/generations` bodies: providers that accept it get the client's bytes. */
const WIRE = 'openai-images';

/**
 * `POST /v1/images/generations`: the client's bytes (only `model` rewritten) forwarded to an
 * OpenAI-format host, the answer's bytes returned; metered per image (or by gpt-image-1's image
 * tokens), with the worst case reserved against budgets before the call.
 */
export async function handleImages(gw: Gateway, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const principal = req.principal;
  validateImagesRequest(req.body);
  const body = req.body as Record<string, any>;
  const raw = req.rawBody ?? JSON.stringify(body);
  const snapshot = gw.snapshot;
  const signal = abortOnClientClose(reply.raw);
  const res = reply.raw;
  reply.hijack();
  const n: number = body.n ?? 1;
  const rec: Partial<UsageRecord> = { status: 200, attempts: 0 };
  let ticket: AdmissionTicket | undefined;
  const settleOnce = settleOnceFor({ requestId: req.id, principal, requestedModel: body.model, kind: 'images', startedAt: req.startedAt, signal }, rec, gw.sink, () => ticket, undefined);
  try {
    const route = resolveOneShot(snapshot, principal, body.model, rec);
    if (gw.admission) {
      let bound: number | undefined;
      const promptBound = () => (bound ??= tokenUpperBound(body.prompt));
      ticket = await admitTraced(
        gw.admission,
        {
          principal,
          kind: 'images',
          targets: route.targets,
          promptTokens: promptBound,
          maxOutputTokens: 0,
          reserveNanos: () => imageWorstCaseNanos(snapshot.catalog, route.targets, n, promptBound()),
        },
        undefined,
      );
    }
    const d = await dispatch(snapshot, route, (t) => upstreamRequest(t, body.model, raw), signal);
    const { provider } = d.target;
    answeredBy(d, rec);
    const { text, json } = await upstreamJson(d, signal, snapshot);
    if (!Array.isArray(json?.data)) throw malformedUpstream(provider.config.name, 'a JSON body that is not an images answer (no `data` list)');
    // What was made, as the answer says when the request left it to the model (`auto`).
    const ask: ImageAsk = {
      ...answered('size', body.size, json.size),
      ...answered('quality', body.quality, json.quality),
    };
    const usage = imageUsage(json.usage);
    const { entry, grid } = imagePrices(snapshot.catalog, provider.catalogProvider, d.target.model, provider.priceRegion);
    const cost = imageCost(entry, grid, ask, json.data.length, usage);
    rec.inputTokens = usage?.inputTokens ?? 0;
    rec.outputTokens = usage?.outputTokens ?? 0;
    rec.costNanos = cost.nanos;
    rec.estimated = cost.estimated;
    writeJsonAnswerHead(res, text, d, cost.nanos, ticket, req.id);
    // Recorded before the last bytes leave, as every answered call is.
    settleOnce();
    res.end(text);
  } catch (err) {
    writeOneShotFailure(res, req.id, err, rec, ticket, undefined);
  } finally {
    settleOnce();
  }
}

/** The client's bytes for an OpenAI-format target (model replaced); other provider types cannot take them. */
function upstreamRequest(t: AliasTarget, requested: string, raw: string): UpstreamRequest {
  const { adapter, config } = t.provider;
  if (!passesThrough(adapter, WIRE)) throw invalidRequest(`Images are not supported by provider type ${config.type} (${config.name}): image generation is served by OpenAI-format providers.`, 'model', 'unsupported_value');
  const { url, headers } = adapter.endpoint(config, 'images', t.model, false);
  return { method: 'POST', url, headers, body: requested === t.model ? raw : setTopLevel(raw, 'model', JSON.stringify(t.model)) };
}

/** The requested value unless it was left to the model (`auto`/absent) and the answer names it. */
function answered(field: keyof ImageAsk, asked: unknown, reported: unknown): ImageAsk {
  if (typeof asked === 'string' && asked !== 'auto') return { [field]: asked };
  if (typeof reported === 'string' && reported.length <= 32) return { [field]: reported };
  return typeof asked === 'string' ? { [field]: asked } : {};
}
