import type { Usage } from '../../providers/types.js';
import { countTokensAsync, tokenUpperBound } from '../metering/tokens.js';
import type { ChatCall } from './chat-call.js';

/**
 * Usage counted by the gateway (o200k, ../metering/tokens.ts) when the upstream gave none: the prompt and what was
 * delivered. Counted off the event loop's critical path (countTokensAsync yields every ~1 ms).
 */
export async function estimated(call: ChatCall, delivered: string, running?: Usage): Promise<Usage> {
  const outputTokens = await countTokensAsync(delivered);
  if (running) {
    // The upstream's running count (input side exact) stands; the output is what was delivered.
    const { partial: _running, ...counts } = running;
    return { ...counts, outputTokens: Math.max(running.outputTokens, outputTokens), estimated: true };
  }
  const p = call.surface.promptText(call.body);
  const inputTokens = p.fixedTokens + (await countTokensAsync(p.text));
  return { inputTokens, outputTokens, estimated: true };
}

/** The prompt's tokens for the budget reservation: a true upper bound of its o200k count, in ~1 ms at most. */
export function promptBound(call: ChatCall): number {
  const p = call.surface.promptText(call.body);
  return p.fixedTokens + tokenUpperBound(p.text);
}
