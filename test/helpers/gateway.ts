import type { AddressInfo } from 'node:net';
import { parseConfigText } from '../../src/config/load.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import type { Snapshot } from '../../src/engine/runtime.js';
import { buildApp, type App, type AppOptions } from '../../src/server/app.js';
import type { UsageRecord } from '../../src/metering/usage-record.js';
import { withTestPromptsDir } from './prompts-dir.js';
import { runLogStream } from './run-logs.js';

export interface TestGateway extends App {
  url: string;
  snapshot: Snapshot;
  /** Every usage record the gateway settled, in order. */
  records: UsageRecord[];
  close(): Promise<void>;
}

/** Starts a real gateway on a random loopback port from YAML config text (env interpolated from `env`). */
export async function startGateway(yaml: string, env: Record<string, string> = {}, opts: Partial<AppOptions> = {}): Promise<TestGateway> {
  const snapshot = buildSnapshot(withTestPromptsDir(parseConfigText(yaml, env)), env);
  const records: UsageRecord[] = [];
  const logStream = runLogStream(snapshot.secrets);
  const built = await buildApp({ snapshot, logger: Boolean(logStream), ...(logStream && { logStream }), ...opts, sinks: [{ record: (r) => records.push(r) }, ...(opts.sinks ?? [])] });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (built.app.server.address() as AddressInfo).port;
  return { ...built, snapshot, records, url: `http://127.0.0.1:${port}`, close: () => built.app.close() };
}

/** Waits until `check` is true (records are settled just after the response ends). */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
