import type { AuditEntry } from '../admin/audit.js';
import type { ConfigFile } from '../config/schema.js';
import { redactSecrets } from '../engine/errors.js';
import type { Snapshot } from '../engine/runtime.js';
import type { Gateway } from './gateway.js';

/** Where a reload reads the config from again (main.ts: the same file and environment as at start). */
export type ConfigSource = () => { snapshot: Snapshot; file: ConfigFile; path?: string };

export interface ReloadResult {
  object: 'config.reload';
  /** Top-level sections whose content changed. */
  changed: string[];
  /** Changed sections that only take effect at the next start (kept as they were until then). */
  restart_required: string[];
}

/** Sections the running process is built on (listener, storage, Redis, prompt folder, tracer): a change waits for a restart. */
const RESTART_ONLY = ['server', 'storage', 'redis', 'prompts', 'telemetry', 'workers'] as const;

/**
 * Config reload (SIGHUP, `POST /admin/config/reload`): reads the config again, builds a new
 * snapshot and swaps it in — requests in flight finish on the snapshot they started with. A config
 * that does not validate changes nothing (the ConfigError propagates, naming every problem).
 * Providers, aliases, prices, static keys, proxy routes, request logs and alerts change at once;
 * the restart-only sections keep their running values. Each reload is audited with the changed
 * sections before and after, every configured secret (old and new) redacted.
 */
export function createConfigReloader(gateway: Gateway, source: ConfigSource, initialFile: ConfigFile, audit: (e: AuditEntry) => void) {
  let file = initialFile;
  return (actor: string): ReloadResult => {
    const next = source();
    const current = gateway.snapshot;
    const sections = [...new Set([...Object.keys(file), ...Object.keys(next.file)])].sort() as Array<keyof ConfigFile>;
    const changed = sections.filter((k) => JSON.stringify(file[k]) !== JSON.stringify(next.file[k]));
    const restartRequired = changed.filter((k) => (RESTART_ONLY as readonly string[]).includes(k));
    gateway.snapshot = Object.freeze({
      ...next.snapshot,
      // Restart-only settings stay as the process was built.
      host: current.host,
      port: current.port,
      bodyLimitBytes: current.bodyLimitBytes,
      logLevel: current.logLevel,
      accessLog: current.accessLog,
      headersTimeoutMs: current.headersTimeoutMs,
      requestTimeoutMs: current.requestTimeoutMs,
      storageUrl: current.storageUrl,
      storagePoolSize: current.storagePoolSize,
      spoolDir: current.spoolDir,
      promptsDir: current.promptsDir,
      workers: current.workers,
      ...(current.instanceId !== undefined && { instanceId: current.instanceId }),
      ...(current.redisUrl !== undefined && { redisUrl: current.redisUrl }),
      ...(current.telemetry !== undefined && { telemetry: current.telemetry }),
      // Old secrets stay redacted too: requests still running on the old snapshot may echo them.
      secrets: [...new Set([...next.snapshot.secrets, ...current.secrets])].sort((a, b) => b.length - a.length),
    });
    const secrets = gateway.snapshot.secrets;
    const view = (f: ConfigFile) => redacted(Object.fromEntries(changed.map((k) => [k, f[k] ?? null])), secrets);
    audit({ actor, action: 'config.reload', targetType: 'config', targetId: next.path ?? '(built-in defaults)', before: view(file), after: view(next.file) });
    file = next.file;
    return { object: 'config.reload', changed, restart_required: restartRequired };
  };
}

/** A copy with every string (keys of objects too) scrubbed of the secrets. */
function redacted(v: unknown, secrets: readonly string[]): unknown {
  if (typeof v === 'string') return redactSecrets(v, secrets);
  if (Array.isArray(v)) return v.map((x) => redacted(x, secrets));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactSecrets(k, secrets), redacted(x, secrets)]));
  return v;
}
