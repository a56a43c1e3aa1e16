/** Test-only: read the recorded payloads of one adapter's `__fixtures__/` folder, and split SSE recordings into frames as the engine's parser does. */
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import type { SseFrame } from '../adapter.js';

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

/** Readers for the fixtures in `dir` (pass `new URL('./', import.meta.url)` from the folder's loader). */
export function fixturesIn(dir: URL) {
  const fixtureText = (name: string): string => readFileSync(new URL(`./${name}`, dir), 'utf8');
  return {
    fixtureText,
    fixtureJson: <T = any>(name: string): T => JSON.parse(fixtureText(name)) as T,
    fixtureFrames: (name: string): SseFrame[] => sseFrames(fixtureText(name)),
  };
}
