import type { FinishReason, GatewayErrorShape, StreamEvent, Usage } from '../../../providers/types.js';
import type { StreamWriter } from '../../engine/surface.js';
import { echoedRequest, responseStatus, responsesId, toResponsesUsage } from './render.js';

type Item = Record<string, any> & { id: string; type: 'message' | 'reasoning' | 'function_call' };

/**
 * Internal stream events → the Responses event sequence the SDK's stream helper accumulates:
 * `response.created`, `response.in_progress`, then per output item `output_item.added`, its
 * deltas (`output_text`, `reasoning_summary_text`, `function_call_arguments`) and `.done`
 * events, closed before the next item opens; last `response.completed` (or `.incomplete`) with
 * the whole response. Every event carries the next `sequence_number`.
 */
export class ResponsesStreamWriter implements StreamWriter {
  private seq = 0;
  private readonly id = responsesId('resp');
  private readonly createdAt = Math.floor(Date.now() / 1000);
  private started = false;
  private readonly items: Item[] = [];
  private open: Item | undefined;
  private readonly calls = new Map<number, Item>();
  private finish: FinishReason = { unified: 'stop', raw: null };

  constructor(
    private model: string,
    private readonly body: Record<string, any>,
  ) {}

  step(ev: StreamEvent): string[] {
    const out: string[] = [];
    if (ev.type === 'start') {
      if (ev.model) this.model = ev.model;
      this.ensureStarted(out);
      return out;
    }
    this.ensureStarted(out);
    if (ev.type === 'text-delta' && ev.text && !ev.choice) {
      const item = this.openItem(out, 'message');
      item.content[0].text += ev.text;
      this.emit(out, 'response.output_text.delta', { item_id: item.id, output_index: this.items.indexOf(item), content_index: 0, delta: ev.text, logprobs: [] });
    } else if (ev.type === 'reasoning-delta' && ev.text && !ev.choice) {
      const item = this.openItem(out, 'reasoning');
      item.summary[0].text += ev.text;
      this.emit(out, 'response.reasoning_summary_text.delta', { item_id: item.id, output_index: this.items.indexOf(item), summary_index: 0, delta: ev.text });
    } else if (ev.type === 'reasoning-signature') {
      const item = this.open?.type === 'reasoning' ? this.open : this.items.findLast((i) => i.type === 'reasoning');
      if (item) item.encrypted_content = ev.signature;
    } else if (ev.type === 'tool-call-start' && !ev.choice) {
      this.closeOpen(out);
      const item: Item = { id: responsesId('fc'), type: 'function_call', status: 'in_progress', call_id: ev.id, name: ev.name, arguments: '' };
      this.add(out, item);
      this.calls.set(ev.index, item);
    } else if (ev.type === 'tool-call-delta' && !ev.choice) {
      const item = this.calls.get(ev.index);
      if (item && ev.argumentsDelta) {
        item.arguments += ev.argumentsDelta;
        this.emit(out, 'response.function_call_arguments.delta', { item_id: item.id, output_index: this.items.indexOf(item), delta: ev.argumentsDelta });
      }
    } else if (ev.type === 'finish' && !ev.choice) {
      this.finish = ev.finish;
    }
    return out;
  }

  end(usage: Usage, costUsd: number): string[] {
    const out: string[] = [];
    this.ensureStarted(out);
    this.closeOpen(out);
    const { status, incomplete_details } = responseStatus(this.finish);
    const response = { ...this.snapshot(status), incomplete_details, completed_at: Math.floor(Date.now() / 1000), usage: toResponsesUsage(usage, costUsd) };
    this.emit(out, status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
    return out;
  }

  /** A failure after the stream began: `response.failed` with the error, then the `error` event. */
  fail(e: GatewayErrorShape): string[] {
    const out: string[] = [];
    this.ensureStarted(out);
    // `response.error.code` is one of OpenAI's own codes; the `error` event carries the gateway's.
    const failedCode = e.status === 429 ? 'rate_limit_exceeded' : 'server_error';
    this.emit(out, 'response.failed', { response: { ...this.snapshot('failed'), error: { code: failedCode, message: e.message } } });
    this.emit(out, 'error', { code: e.code ?? e.type, message: e.message, param: e.param ?? null });
    return out;
  }

  private snapshot(status: string): Record<string, unknown> {
    return { id: this.id, object: 'response', created_at: this.createdAt, status, error: null, incomplete_details: null, model: this.model, output: this.items, ...echoedRequest(this.body) };
  }

  private ensureStarted(out: string[]): void {
    if (this.started) return;
    this.started = true;
    this.emit(out, 'response.created', { response: this.snapshot('in_progress') });
    this.emit(out, 'response.in_progress', { response: this.snapshot('in_progress') });
  }

  /** The open item of this type, or a new one after closing the open item. */
  private openItem(out: string[], type: 'message' | 'reasoning'): Item {
    if (this.open?.type === type) return this.open;
    this.closeOpen(out);
    const item: Item =
      type === 'message'
        ? { id: responsesId('msg'), type, status: 'in_progress', role: 'assistant', content: [] }
        : { id: responsesId('rs'), type, summary: [] };
    this.add(out, item);
    const output_index = this.items.indexOf(item);
    if (type === 'message') {
      item.content.push({ type: 'output_text', text: '', annotations: [], logprobs: [] });
      this.emit(out, 'response.content_part.added', { item_id: item.id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
    } else {
      item.summary.push({ type: 'summary_text', text: '' });
      this.emit(out, 'response.reasoning_summary_part.added', { item_id: item.id, output_index, summary_index: 0, part: { type: 'summary_text', text: '' } });
    }
    return item;
  }

  private add(out: string[], item: Item): void {
    this.items.push(item);
    this.open = item;
    this.emit(out, 'response.output_item.added', { output_index: this.items.length - 1, item: structuredClone(item) });
  }

  private closeOpen(out: string[]): void {
    const item = this.open;
    if (!item) return;
    this.open = undefined;
    const output_index = this.items.indexOf(item);
    if (item.type === 'message') {
      const part = item.content[0];
      this.emit(out, 'response.output_text.done', { item_id: item.id, output_index, content_index: 0, text: part.text, logprobs: [] });
      this.emit(out, 'response.content_part.done', { item_id: item.id, output_index, content_index: 0, part });
    } else if (item.type === 'reasoning') {
      const part = item.summary[0];
      this.emit(out, 'response.reasoning_summary_text.done', { item_id: item.id, output_index, summary_index: 0, text: part.text });
      this.emit(out, 'response.reasoning_summary_part.done', { item_id: item.id, output_index, summary_index: 0, part });
    } else {
      this.emit(out, 'response.function_call_arguments.done', { item_id: item.id, output_index, name: item.name, arguments: item.arguments });
    }
    if (item.type !== 'reasoning') item.status = 'completed';
    this.emit(out, 'response.output_item.done', { output_index, item });
  }

  private emit(out: string[], type: string, data: Record<string, unknown>): void {
    out.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: this.seq++ })}\n\n`);
  }
}
