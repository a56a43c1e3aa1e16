/** Test helper: read a fixture beside this file and split SSE fixtures into frames, the way the engine's parser does. */
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import type { SseFrame } from '../../adapter.js';

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export function sseFrames(text: string): SseFrame[] {
  const frames: SseFrame[] = [];
  const parser = createParser({
    onEvent: (e) => frames.push(e.event === undefined ? { data: e.data } : { event: e.event, data: e.data }),
  });
  parser.feed(text);
  // A trailing frame without its blank line would be lost; the fixtures end with one anyway.
  parser.feed('\n\n');
  return frames;
}

export function fixtureFrames(name: string): SseFrame[] {
  return sseFrames(fixtureText(name));
}
