/**
 * Tracing off costs nothing at start: a gateway without `telemetry` loads no OpenTelemetry SDK
 * module (docs/tracing.md) — only @opentelemetry/api, which prom-client itself requires. A child process records every @opentelemetry specifier the
 * module loader resolves while a gateway without telemetry starts and serves a request, then
 * while one with an endpoint does (which proves the recorder sees the packages when they load).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/instance.js';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let receiver: OtlpReceiver;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tmp = tempDir();
});
afterAll(async () => {
  await receiver?.close();
  tmp?.remove();
});

it('a gateway without telemetry loads no OpenTelemetry SDK module (only the API prom-client requires); with an endpoint it loads them and exports on close', async () => {
  const log = join(tmp.dir, 'imports.log');
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/telemetry/fixtures/record-otel-imports.mjs', 'test/telemetry/fixtures/lazy-child.ts'], {
    cwd: ROOT,
    env: { ...process.env, OTEL_IMPORT_LOG: log, OTLP_URL: receiver.url, OTEL_EXPORTER_OTLP_ENDPOINT: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const [off, on] = readFileSync(log, 'utf8').split('-- telemetry on --\n');
  // Without telemetry: nothing imported, and of CommonJS only the API prom-client requires itself (exemplars).
  expect(off).toBe('cjs: @opentelemetry/api\n');
  expect(on).toContain('@opentelemetry/sdk-trace-base\n');
  expect(on).toContain('@opentelemetry/exporter-trace-otlp-http\n');
  expect(on).toMatch(/cjs: .*@opentelemetry\/sdk-trace-base/);
  // the second gateway's spans reached the collector when it closed (no explicit flush)
  expect(receiver.spans.some((s) => s.traceId === '0af7651916cd43dd8448eb211c80319c' && s.attrs['gen_ai.request.model'] === 'mock/echo')).toBe(true);
}, 20_000);
