/**
 * The configuration reference is the schema's: regenerating docs/configuration.md gives the
 * committed page, every schema key has its note and every note names a schema key; the
 * commented example config loads and touches every top-level section.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { configKeys, renderReference } from '../../src/config/reference.js';
import { CONFIG_NOTES } from '../../src/config/reference-notes.js';
import { ConfigFile } from '../../src/config/schema.js';
import { buildSnapshot } from '../../src/config/snapshot.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

describe('configuration reference', () => {
  it('docs/configuration.md is exactly what the schema and notes generate (npm run docs:config)', () => {
    expect(readFileSync(root('docs/configuration.md'), 'utf8')).toBe(renderReference());
  });

  it('every schema key has a note, and every note names a schema key', () => {
    const keys = configKeys().map((k) => k.path);
    expect(keys.length).toBeGreaterThan(50);
    expect(keys.filter((k) => !CONFIG_NOTES[k])).toEqual([]);
    expect(Object.keys(CONFIG_NOTES).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('a key added to the schema without a note is caught', () => {
    const extended = { ...ConfigFile, properties: { ...ConfigFile.properties, extra_section: { type: 'boolean' } } };
    const missing = configKeys(extended as never).map((k) => k.path).filter((k) => !CONFIG_NOTES[k]);
    expect(missing).toEqual(['extra_section']);
  });
});

describe('tollgate.example.yaml', () => {
  const text = readFileSync(root('tollgate.example.yaml'), 'utf8');

  it('loads and builds a snapshot with no environment at all', () => {
    const loaded = parseConfigText(text, {});
    const snap = buildSnapshot(loaded, {});
    expect([...snap.providers.keys()]).toEqual(expect.arrayContaining(['openai', 'anthropic', 'gemini', 'mistral', 'groq', 'azure-eu', 'local', 'mock']));
    expect([...snap.aliases.keys()]).toEqual(['smart', 'spread']);
    expect(snap.routes.routes.length).toBe(1);
  });

  it('shows every top-level section of the schema', () => {
    const loaded = parseConfigText(text, {});
    expect(Object.keys(loaded.file).sort()).toEqual(Object.keys(ConfigFile.properties).sort());
  });
});

describe('which configured header values are secrets', () => {
  it('credentials by name or token shape; ordinary values (versions, URLs, titles) are not scrubbed', async () => {
    const { secretHeaderValues } = await import('../../src/config/snapshot.js');
    expect(
      secretHeaderValues({
        'x-org-token': 'org-abcdefgh',
        authorization: 'Bearer sk-live-1234567890',
        'x-api-key': 'k9k9k9k9k9',
        'x-custom': 'Zq8vN2xL7pR4tY6w',
        'anthropic-version': '2023-06-01',
        'http-referer': 'https://example.com/app?id=1234567890abc',
        'x-title': 'My Support Bot 2',
        'x-session': 'short',
      }),
    ).toEqual(['org-abcdefgh', 'sk-live-1234567890', 'k9k9k9k9k9', 'Zq8vN2xL7pR4tY6w']);
  });
});

describe('which parts of a webhook URL are secrets', () => {
  it("a token-shaped path segment or query value (Slack's hook token) is; the host, a plain path and a loopback URL are not", () => {
    const yaml = [
      'alerts:',
      '  webhooks:',
      '    - { url: "https://hooks.slack.com/services/T0ABC/B0DEF/Xa8rT2kLmN4pQ7sVwY1zB3c" }',
      '    - { url: "https://alerts.example.com/hook?token=9fK2mQ7xR4tY8wZ1aB6c" }',
      '    - { url: "http://127.0.0.1:4318/webhooks/budget" }',
    ].join('\n');
    const snap = buildSnapshot(parseConfigText(yaml, {}), {});
    expect(snap.secrets).toEqual(expect.arrayContaining(['Xa8rT2kLmN4pQ7sVwY1zB3c', '9fK2mQ7xR4tY8wZ1aB6c']));
    for (const plain of ['hooks.slack.com', 'services', 'T0ABC', 'alerts.example.com', 'http://127.0.0.1:4318/webhooks/budget', 'budget']) expect(snap.secrets).not.toContain(plain);
  });
});
