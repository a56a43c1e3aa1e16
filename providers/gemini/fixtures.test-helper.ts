/**
 * Test helper: read a fixture from ./__fixtures__/ and split an SSE recording into frames the
 * way the engine's SSE parser would (events end at a blank line — LF or CRLF framing — and
 * `data:` lines are joined). Only used by the tests beside it.
 */
import { readFileSync } from 'node:fs';
import type { SseFrame, StreamMapper } from '../adapter.js';
import type { ChatRequest, StreamEvent } from '../types.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixture(name));
}

export function splitSse(text: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const block of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    const data: string[] = [];
    let event: string | undefined;
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      else if (line.startsWith('event:')) event = line.slice(6).trim();
    }
    if (data.length > 0) frames.push({ ...(event ? { event } : {}), data: data.join('\n') });
  }
  return frames;
}

/** Runs a stream mapper over frames and the end of the stream; returns every event in order. */
export function runStream<S>(mapper: StreamMapper<S>, req: ChatRequest, frames: SseFrame[]): StreamEvent[] {
  const state = mapper.init(req);
  const events: StreamEvent[] = [];
  for (const f of frames) events.push(...mapper.step(state, f));
  events.push(...mapper.end(state));
  return events;
}

export const baseRequest = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gemini-2.5-flash',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  ...over,
});
