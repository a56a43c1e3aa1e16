/**
 * The prompts directory source (src/prompts/file-source.ts), scanned by hand: a broken file is
 * reported in the log and in errors while the last good version keeps serving; a version bump
 * retains the old version; unchanged files are not re-parsed.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PromptFileSource } from '../../src/prompts/file-source.js';

const file = (version: string, body = 'Hi {{ who }}') => `---\nversion: "${version}"\nmodel: mock/echo\ninput: { type: object, properties: { who: { type: string } } }\n---\n${body}\n`;

let dir: string;
let logs: Array<{ level: string; msg: string }>;
let src: PromptFileSource;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tollgate-file-source-'));
  logs = [];
  src = new PromptFileSource(dir, { info: (msg) => logs.push({ level: 'info', msg }), warn: (msg) => logs.push({ level: 'warn', msg }) });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const versions = () => {
  const { live, retained } = src.entries();
  return { live: live.map((e) => `${e.prompt.def.name}@${e.prompt.def.version}`), retained: retained.map((e) => `${e.prompt.def.name}@${e.prompt.def.version}`) };
};

describe('PromptFileSource', () => {
  it('broken edit: logged as a warning naming the file and the reason, reported in errors, last good kept', () => {
    writeFileSync(join(dir, 'hi.md'), file('1'));
    expect(src.scan()).toBe(true);
    expect(versions().live).toEqual(['hi@1']);

    writeFileSync(join(dir, 'hi.md'), file('2', 'Hi {% if %}'));
    expect(src.scan()).toBe(true);
    const warn = logs.filter((l) => l.level === 'warn');
    expect(warn).toHaveLength(1);
    expect(warn[0]!.msg).toMatch(/^prompts: hi\.md is broken: template: .*; still serving hi version 1$/);
    expect(src.errors()).toEqual([{ source: 'hi.md', message: expect.stringMatching(/^template: /) }]);
    expect(versions()).toEqual({ live: ['hi@1'], retained: [] });
  });

  it('a version bump retains the old version; an unchanged file is not re-read as a change; delete drops all', () => {
    writeFileSync(join(dir, 'hi.md'), file('1'));
    src.scan();
    writeFileSync(join(dir, 'hi.md'), file('2'));
    src.scan();
    expect(versions()).toEqual({ live: ['hi@2'], retained: ['hi@1'] });
    expect(src.scan()).toBe(false);
    // Back to version 1: it is live again, not also retained.
    writeFileSync(join(dir, 'hi.md'), file('1', 'Hello again {{ who }}'));
    src.scan();
    expect(versions()).toEqual({ live: ['hi@1'], retained: ['hi@2'] });
    unlinkSync(join(dir, 'hi.md'));
    expect(src.scan()).toBe(true);
    expect(versions()).toEqual({ live: [], retained: [] });
  });

  it('a missing directory serves nothing and does not throw', () => {
    const none = new PromptFileSource(join(dir, 'nope'), { info() {}, warn() {} });
    expect(none.scan()).toBe(false);
    expect(none.entries().live).toEqual([]);
  });
});
