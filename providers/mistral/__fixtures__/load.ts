/** Test-only: read the recorded fixtures in this folder (the adapter itself never touches fs). */
import { readFileSync } from 'node:fs';
import type { SseFrame } from '../../adapter.js';

const dir = new URL('./', import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, dir), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/** A `*.chunks.jsonl` file as the SSE frames it was on the wire (one `data:` per line). */
export function fixtureFrames(name: string, { done = true } = {}): SseFrame[] {
  const frames = fixtureText(name)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((data) => ({ data }));
  return done ? [...frames, { data: '[DONE]' }] : frames;
}
