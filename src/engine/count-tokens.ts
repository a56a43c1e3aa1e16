import { countTokensAsync } from '../metering/tokens.js';
import type { ChatRequest } from '../../providers/types.js';
import { checkTargetsAllowed } from './access.js';
import type { Principal } from './auth.js';
import { dispatch, readText, type DispatchOptions } from './dispatch.js';
import { passesThrough } from './passthrough.js';
import { resolveRoute } from './route.js';
import type { AliasTarget, Snapshot } from './runtime.js';
import type { ChatSurface } from './surface.js';
import { malformedUpstream } from './upstream-failure.js';
import type { CallSignal } from '../../providers/adapter.js';

export interface CountTokensCall {
  snapshot: Snapshot;
  /** Who asks: the key's allowed models apply as for a call. */
  principal: Principal;
  surface: ChatSurface;
  /** Parsed and validated client body. */
  body: Record<string, any>;
  /** The client's bytes (forwarded when the provider accepts the surface's wire format untouched). */
  raw: string;
  signal: CallSignal;
  dispatch?: DispatchOptions;
}

export interface CountTokensResult {
  inputTokens: number;
  /** Counted by the gateway (o200k), the provider having no counter. */
  estimated: boolean;
  target: AliasTarget;
  attempts: number;
}

/**
 * Counts a chat request's prompt tokens for the model it names (its route's first target): with
 * the provider's own counter when it has one — the client's bytes when it accepts the surface's
 * wire format, translated otherwise — else in o200k, marked estimated. Not billed, no ledger
 * record: counting is free upstream too.
 */
export async function runCountTokens(call: CountTokensCall): Promise<CountTokensResult> {
  const route = resolveRoute(call.snapshot, call.body.model);
  checkTargetsAllowed(call.principal, call.snapshot, call.body.model, route.targets);
  const target = route.targets[0]!;
  const { adapter, config } = target.provider;
  const counter = adapter.countTokens;
  const passthrough = passesThrough(adapter, call.surface.wire);
  if (!counter || (!passthrough && !counter.buildBody)) {
    const p = call.surface.promptText(call.body);
    return { inputTokens: p.fixedTokens + (await countTokensAsync(p.text)), estimated: true, target, attempts: 0 };
  }
  let internal: ChatRequest | undefined;
  const d = await dispatch(
    call.snapshot,
    { ...route, targets: [target] },
    (t) => {
      const { url, headers } = counter.endpoint(config, t.model);
      const body = passthrough
        ? call.surface.passthrough.requestBody(call.raw, call.body, t.model)
        : counter.buildBody!({ ...(internal ??= call.surface.toInternal(call.body)), model: t.model }, config);
      return { method: 'POST', url, headers, body };
    },
    call.signal,
    call.dispatch,
  );
  const text = await readText(d.upstream.body);
  try {
    return { inputTokens: counter.parseResponse(JSON.parse(text)), estimated: false, target: d.target, attempts: d.attempts };
  } catch (err) {
    const why = err instanceof SyntaxError ? 'a body that is not JSON' : (err as Error).message;
    throw malformedUpstream(config.name, why);
  }
}
