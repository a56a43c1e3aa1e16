import { createParser, type EventSourceParser } from 'eventsource-parser';
import { assembleAnthropic } from './assemble-anthropic.js';
import { assembleOpenAI } from './assemble-openai.js';
import { final, parse, text, type Assembly, type Budget } from './assembly.js';

export type StreamKind = 'chat' | 'completions' | 'messages' | 'prompt' | 'responses';

/** Feeds what the client was sent (text or bytes, split anywhere) to the surface's assembly. */
export class StreamAssembler {
  private readonly parser: EventSourceParser;
  private readonly decoder = new TextDecoder();
  private readonly assembly: Assembly;

  constructor(kind: StreamKind, budget: Budget) {
    this.assembly =
      kind === 'messages' ? assembleAnthropic(budget) : kind === 'prompt' ? assemblePrompt(budget) : kind === 'responses' ? assembleResponses(budget) : assembleOpenAI(budget);
    this.parser = createParser({ onEvent: (e) => this.assembly.event(e.data, e.event) });
  }

  feed(chunk: string | Uint8Array): void {
    this.parser.feed(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
  }

  result(): { text: string; cut: boolean } {
    this.parser.feed(`${this.decoder.decode()}\n\n`);
    return this.assembly.result();
  }
}

/**
 * A prompt stream (`event: start | delta | done | error`, src/surfaces/prompts/surface.ts): `done` carries
 * the same object as the non-stream body and is stored as sent; a stream that ended without it
 * is stored as `{model, prompt, output_text, error}` with the text delivered so far.
 */
function assemblePrompt(budget: Budget): Assembly {
  let done: string | undefined;
  let head: Record<string, unknown> = {};
  let error: unknown;
  const output = text();
  return {
    event(data, event) {
      if (event === 'done') {
        done = data;
        return;
      }
      const j = parse(data);
      if (!j) return;
      if (event === 'start') head = { model: j.model, prompt: j.prompt };
      else if (event === 'delta' && typeof j.text === 'string') budget.add(output, j.text);
      else if (event === 'error') error = j.error ?? j;
    },
    result() {
      if (done !== undefined) return { text: done, cut: false };
      return { text: JSON.stringify({ ...head, output_text: final(output), ...(error !== undefined && { error }) }), cut: output.cut };
    },
  };
}

/**
 * A Responses stream (`response.*` events): the final `response.completed` (or `.incomplete`,
 * `.failed`) carries the whole response object, stored as sent; a stream cut before it is stored as
 * `{object: 'response', status: 'in_progress', output_text}` with the text delivered so far.
 */
function assembleResponses(budget: Budget): Assembly {
  let done: unknown;
  let error: unknown;
  const output = text();
  return {
    event(data) {
      const j = parse(data);
      if (!j) return;
      if (j.type === 'response.output_text.delta' && typeof j.delta === 'string') budget.add(output, j.delta);
      else if (j.type === 'response.completed' || j.type === 'response.incomplete' || j.type === 'response.failed') done = j.response;
      else if (j.type === 'error') error = j.error ?? j;
    },
    result() {
      if (done !== undefined) return { text: JSON.stringify(done), cut: false };
      return { text: JSON.stringify({ object: 'response', status: 'in_progress', output_text: final(output), ...(error !== undefined && { error }) }), cut: output.cut };
    },
  };
}
