/** Test-only: read the recorded fixtures in this folder and split SSE recordings into frames as the engine's parser does. */
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import type { SseFrame } from '../../adapter.js';

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export function fixtureFrames(name: string): SseFrame[] {
  const frames: SseFrame[] = [];
  const parser = createParser({ onEvent: (e) => frames.push({ data: e.data }) });
  parser.feed(`${fixtureText(name)}\n\n`);
  return frames;
}
