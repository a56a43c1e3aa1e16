import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { gatewayBundleOptions } from '../../src/server/bundle-options.mjs';
import { ADMIN_KEY } from './instance.js';
import { spawnGateway, type ChildGateway } from './child-gateway.js';

export interface PgFleet {
  /** Starts (or restarts, with the same instance id: its own spool) gateway `id` as a child process. */
  spawn(id: string): Promise<ChildGateway>;
  /** Deletes the gateway bundle. */
  remove(): void;
}

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * The gateway bundled as `npm run build` bundles dist/tollgate.mjs (src/server/main.ts, same
 * esbuild options), three folders below the repository root as dist/src/server/ is, so it finds
 * migrations/ and node_modules/ the same way. Three processes start in seconds, not tsx's tens.
 */
function bundleGateway(): { file: string; remove(): void } {
  const dir = join(ROOT, 'test-output', 'gateway-bundle', String(process.pid));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'tollgate.mjs');
  buildSync(gatewayBundleOptions(join(ROOT, 'src/server/main.ts'), file));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Gateway processes (`src/server/main.ts`, as `npm run dev` starts them) on one PostgreSQL
 * database and one Redis, an OpenAI-compatible upstream at `mockUrl`, their ledger spools under
 * `dir` (one folder, as on a shared volume: a dead instance's spool can be adopted).
 */
export function pgFleet(opts: { dbUrl: string; redisUrl?: string; mockUrl: string; dir: string }): PgFleet {
  const config = join(opts.dir, 'tollgate.yaml');
  writeFileSync(
    config,
    [
      'providers:',
      `  openai: { type: openai, api_key: "sk-test-fleet-0000", base_url: "${opts.mockUrl}/v1" }`,
      'storage:',
      '  pool_size: 4',
      `  spool_dir: "${join(opts.dir, 'spool')}"`,
      'prompts:',
      `  dir: "${join(opts.dir, 'prompts')}"`,
      '',
    ].join('\n'),
  );
  const bundle = bundleGateway();
  return {
    remove: bundle.remove,
    spawn: (id) =>
      spawnGateway(
        {
        TOLLGATE_CONFIG: config,
        TOLLGATE_DATABASE_URL: opts.dbUrl,
        TOLLGATE_REDIS_URL: opts.redisUrl ?? '',
        TOLLGATE_ADMIN_KEY: ADMIN_KEY,
        TOLLGATE_INSTANCE_ID: id,
        },
        { bundle: bundle.file },
      ),
  };
}

/** One chat request; its status, error code and request id, and whether the whole body arrived. */
export async function chatOnce(url: string, key: string, body: Record<string, unknown>): Promise<{ status: number; code?: string; id: string | null; completed: boolean } | { error: string }> {
  try {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    const code = res.status >= 400 ? (JSON.parse(text) as { error?: { code?: string } }).error?.code : undefined;
    return { status: res.status, ...(code && { code }), id: res.headers.get('x-request-id'), completed: res.status === 200 && text.includes('"usage"') };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
