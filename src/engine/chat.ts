import { admitTraced } from './admission.js';
import { checkTargetsAllowed } from './access.js';
import type { ChatCall, ChatOutcome } from './chat-call.js';
import { promptBound } from './estimate.js';
import { refusalHeaders, writeErrorResponse } from './error-response.js';
import { checkOutputCap } from './output-cap.js';
import { respondStream } from './respond/stream.js';
import { respondUnary } from './respond/unary.js';
import { resolveRoute } from './route.js';
import { settleChat } from './settle.js';
import { failedWith } from './upstream-failure.js';

export type { ChatCall } from './chat-call.js';

/**
 * authenticate → resolve → (admit) → route → dispatch → respond → settle (docs/architecture.md §1), for every
 * chat surface. When the upstream accepts the client's wire format the body passes through as
 * bytes and the response is only observed; otherwise the adapter translates both ways.
 */
export async function runChat(call: ChatCall): Promise<void> {
  const out: ChatOutcome = { costNanos: 0, status: 200, attempts: 0 };
  try {
    const route = (out.route = resolveRoute(call.snapshot, call.body.model));
    checkTargetsAllowed(call.principal, call.snapshot, call.body.model, route.targets);
    const targets = call.dispatch?.extraTargets?.length ? [...route.targets, ...call.dispatch.extraTargets] : route.targets;
    const maxOutputTokens = call.surface.maxOutputTokens(call.body);
    checkOutputCap(call.snapshot, targets, maxOutputTokens, call.surface.maxOutputParam?.(call.body) ?? 'max_tokens');
    if (call.admission) {
      const ticket = (out.ticket = await admitTraced(
        call.admission,
        {
          principal: call.principal,
          kind: call.kind ?? 'llm',
          targets,
          promptTokens: () => promptBound(call),
          choices: call.surface.choices?.(call.body) ?? 1,
          maxOutputTokens,
          serviceTier: call.surface.serviceTier?.(call.body),
        },
        call.trace,
      ));
      call.headers = { ...call.headers, ...ticket.headers };
    }
    if (call.surface.isStream(call.body)) await respondStream(call, route, out);
    else await respondUnary(call, route, out);
  } catch (err) {
    const e = failedWith(err, out, call.trace);
    const limitHeaders = refusalHeaders(err);
    if (limitHeaders) call.headers = { ...call.headers, ...limitHeaders };
    if (!call.res.headersSent) writeErrorResponse(call.res, e.shape, call.surface.errorBody, { 'x-request-id': call.requestId, ...call.headers });
    else if (!call.res.writableEnded) {
      if (!call.signal.aborted) call.res.write(call.surface.errorFrame(e.shape, out.lastSent));
      call.res.end();
    }
  } finally {
    settleChat(call, out);
    call.trace?.end();
  }
}
