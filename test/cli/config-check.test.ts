import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/instance.js';
import { buildCli, closedPort, runCli } from './cli-helpers.js';

describe('tollgate config check FILE (offline, the built binary)', () => {
  let build: ReturnType<typeof buildCli>;
  let tmp: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  const file = (name: string, text: string) => {
    const p = join(tmp.dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(async () => {
    build = buildCli();
    tmp = tempDir();
    // Offline: the gateway URL points nowhere.
    env = { TOLLGATE_URL: `http://127.0.0.1:${await closedPort()}` };
  });
  afterAll(() => {
    build?.remove();
    tmp?.remove();
  });

  it('a valid file: exit 0 and a summary; an unset ${VAR} is a warning on stderr', async () => {
    const good = file(
      'good.yaml',
      'providers:\n  mock: { type: mock }\n  openai: { type: openai, api_key: "${OPENAI_KEY_FOR_CHECK}" }\nmodels:\n  fast: { targets: [mock/echo, openai/gpt-4o-mini] }\nroutes:\n  - name: weather\n    match: { path: /weather }\n    upstreams: [http://127.0.0.1:9]\n',
    );
    const r = await runCli(build.bin, ['config', 'check', good], env);
    expect(r).toMatchObject({ code: 0, stdout: `${good}: valid (2 providers, 1 model alias, 1 route)\n` });
    expect(r.stderr).toBe('warning: config references unset environment variables: OPENAI_KEY_FOR_CHECK\n');
    const set = await runCli(build.bin, ['config', 'check', good], { ...env, OPENAI_KEY_FOR_CHECK: 'sk-test-0000000000' });
    expect(set).toMatchObject({ code: 0, stderr: '' });
    // The repository's commented example config is valid.
    expect((await runCli(build.bin, ['config', 'check', 'tollgate.example.yaml'], env)).code).toBe(0);
  });

  it('schema errors: every one printed with its path, exit 1, no secret from the file', async () => {
    const bad = file(
      'bad.yaml',
      [
        'providers:',
        '  groq: { type: openai-compatible, base_url: not-a-url, api_key: sk-live-secret-000111222333 }',
        'server:',
        '  port: 99999',
        '  colour: blue',
        'alerts:',
        '  budget_thresholds: [0]',
        '',
      ].join('\n'),
    );
    const r = await runCli(build.bin, ['config', 'check', bad], env);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`${bad}: 4 problems`);
    expect(lines.slice(1).map((l) => l.trim().split(':')[0]).sort()).toEqual(['alerts.budget_thresholds.0', 'providers.groq.base_url', 'server.colour', 'server.port']);
    expect(r.stderr).toContain('  server.colour: is not a known setting');
    expect(r.stderr).not.toContain('sk-live-secret');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('problems found building the snapshot (references, regular expressions): every one printed, exit 1', async () => {
    const bad = file('refs.yaml', 'models:\n  fast: { targets: [nowhere/x, mock/echo] }\n  slow: { targets: [ghost/y] }\nrequest_logs:\n  redact: ["(unclosed"]\n');
    const r = await runCli(build.bin, ['config', 'check', bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `${bad}: 3 problems`,
      '  models.fast.targets.0: "nowhere/x" must be <provider>/<model> with a configured provider',
      '  models.slow.targets.0: "ghost/y" must be <provider>/<model> with a configured provider',
      expect.stringMatching(/^ {2}request_logs\.redact\.0: not a valid regular expression/),
    ]);
  });

  it('a missing file, a file that is not YAML: one problem each, exit 1', async () => {
    const missing = await runCli(build.bin, ['config', 'check', join(tmp.dir, 'nope.yaml')], env);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('nope.yaml: cannot be read (ENOENT)');
    const notYaml = await runCli(build.bin, ['config', 'check', file('broken.yaml', 'a: [\n')], env);
    expect(notYaml.code).toBe(1);
    expect(notYaml.stderr).toContain('broken.yaml: is not valid YAML');
  });
});
