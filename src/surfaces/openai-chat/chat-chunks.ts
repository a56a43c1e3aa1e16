import type { StreamEvent, Usage } from '../../../providers/types.js';
import { openAIFinish, openAIId } from './chat-response.js';
import { toOpenAIUsage } from '../openai-shared/usage.js';

/**
 * Internal stream events → OpenAI `chat.completion.chunk` SSE frames, in OpenAI's order: one
 * role delta first, content / tool-call fragments (first fragment of a call carries id, type
 * and name; later ones only arguments), the finish chunk, then — when the client asked with
 * `stream_options.include_usage` — a `choices: []` chunk with usage (and cost), then `[DONE]`.
 */
export class OpenAIChunkWriter {
  private id = '';
  private model: string;
  private created = Math.floor(Date.now() / 1000);
  private started = false;
  /** Choice 0's finish reason, once sent (choices 1… of `n` > 1 finish on their own events). */
  private finishReason: string | null = null;
  private readonly openChoices = new Set<number>();

  constructor(requestedModel: string, private readonly includeUsage: boolean) {
    this.model = requestedModel;
  }

  step(ev: StreamEvent): string[] {
    switch (ev.type) {
      case 'start':
        if (ev.id) this.id = openAIId(ev.id);
        if (ev.model) this.model = ev.model;
        if (ev.created) this.created = ev.created;
        return this.ensureStarted();
      case 'text-delta':
        return [...this.ensureStarted(), this.chunk({ content: ev.text }, null, ev.choice)];
      case 'reasoning-delta':
        return [...this.ensureStarted(), this.chunk({ reasoning_content: ev.text }, null, ev.choice)];
      case 'tool-call-start':
        return [...this.ensureStarted(), this.chunk({ tool_calls: [{ index: ev.index, id: ev.id, type: 'function', function: { name: ev.name, arguments: '' } }] }, null, ev.choice)];
      case 'tool-call-delta':
        return [...this.ensureStarted(), this.chunk({ tool_calls: [{ index: ev.index, function: { arguments: ev.argumentsDelta } }] }, null, ev.choice)];
      case 'finish': {
        const reason = openAIFinish(ev.finish.unified);
        if (!ev.choice) this.finishReason = reason;
        return [...this.ensureStarted(), this.chunk({}, reason, ev.choice)];
      }
      default:
        // usage is emitted once at the end (it may still change); signatures and redacted
        // reasoning have no OpenAI representation.
        return [];
    }
  }

  /** Closes the stream: the finish chunk if none came, the usage chunk if asked, `[DONE]`. */
  end(usage: Usage, costUsd: number): string[] {
    const out = this.ensureStarted();
    if (!this.finishReason) out.push(this.chunk({}, 'stop'));
    if (this.includeUsage) out.push(this.frame({ choices: [], usage: toOpenAIUsage(usage, costUsd) }));
    out.push('data: [DONE]\n\n');
    return out;
  }

  private ensureStarted(): string[] {
    if (this.started) return [];
    this.started = true;
    if (!this.id) this.id = openAIId('');
    return [this.chunk({ role: 'assistant', content: '' })];
  }

  private chunk(delta: Record<string, unknown>, finish: string | null = null, index = 0): string {
    // Each further choice of `n` > 1 opens with its own role delta, as choice 0 does.
    if (index > 0 && !this.openChoices.has(index)) {
      this.openChoices.add(index);
      return this.chunk({ role: 'assistant', content: '' }, null, index) + this.chunk(delta, finish, index);
    }
    return this.frame({ choices: [{ index, delta, logprobs: null, finish_reason: finish }] });
  }

  private frame(rest: Record<string, unknown>): string {
    const usage = this.includeUsage && !('usage' in rest) ? { usage: null } : {};
    // No `system_fingerprint`: OpenAI's schema types it as a string, and we have none to give.
    return `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, ...rest, ...usage })}\n\n`;
  }
}
