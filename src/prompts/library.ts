import { GatewayError } from '../engine/errors.js';
import { compilePrompt } from './compile-prompt.js';
import { type FileSourceLog, PromptFileSource } from './file-source.js';
import { parsePromptSource, PromptSourceError } from './parse-prompt.js';
import { type PromptEntry, PromptRegistry } from './registry.js';
import type { PromptStore } from './store.js';
import type { CompiledPrompt, PromptLoadError } from './types.js';

/**
 * The prompts the gateway serves: the files of the prompts directory (hot-reloaded) merged with
 * the versions published to the store. `current` is an immutable registry, replaced whole on
 * every change; a request reads it once and keeps it.
 */
export class PromptLibrary {
  current: PromptRegistry = PromptRegistry.empty();
  private readonly files: PromptFileSource;
  /** Compiled stored versions by `name@version` (versions are immutable: compile once). */
  private stored = new Map<string, CompiledPrompt>();
  private storeErrors: PromptLoadError[] = [];
  private readonly listeners = new Set<(r: PromptRegistry) => void>();

  constructor(
    dir: string,
    private readonly store: PromptStore,
    private readonly log: FileSourceLog,
  ) {
    this.files = new PromptFileSource(dir, log);
  }

  /** Loads files and stored versions, then watches the directory. */
  async start(watch = true): Promise<void> {
    this.files.scan();
    await this.refreshStore();
    if (watch) this.files.watch(() => this.rebuild());
  }

  /** Re-reads the directory and the store now (no need to wait for a file event). */
  async reload(): Promise<void> {
    this.files.scan();
    await this.refreshStore();
  }

  /** Re-reads the store (another instance may have published). */
  async refreshStore(): Promise<void> {
    const rows = await this.store.list();
    const next = new Map<string, CompiledPrompt>();
    const errors: PromptLoadError[] = [];
    for (const row of rows) {
      const key = `${row.name}@${row.version}`;
      const have = this.stored.get(key);
      if (have) {
        next.set(key, have);
        continue;
      }
      try {
        next.set(key, compilePrompt(parsePromptSource(row.source, { kind: 'store' })));
      } catch (err) {
        errors.push({ source: `store:${key}`, message: (err as Error).message });
      }
    }
    this.stored = next;
    this.storeErrors = errors;
    this.rebuild();
  }

  /**
   * `POST /admin/prompts`: validates and compiles the source exactly as a file would be, refuses
   * a name@version that exists with other content (versions are immutable), stores it and swaps
   * the registry. Returns the compiled version and whether it was new.
   */
  async publish(source: string): Promise<{ prompt: CompiledPrompt; created: boolean }> {
    let prompt: CompiledPrompt;
    try {
      prompt = compilePrompt(parsePromptSource(source, { kind: 'store' }));
    } catch (err) {
      if (err instanceof PromptSourceError) throw new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_prompt', message: `The prompt is not valid: ${err.message}`, param: 'source' });
      throw err;
    }
    const { name, version } = prompt.def;
    const existing = this.current.get(name, version);
    if (existing) {
      if (existing.def.source === source) return { prompt: existing, created: false };
      throw new GatewayError({ status: 409, type: 'invalid_request_error', code: 'version_exists', message: `Prompt '${name}' version ${version} already exists with other content; publish a new version.`, param: 'version' });
    }
    await this.store.put({ name, version, source, createdAt: Date.now() });
    this.stored.set(`${name}@${version}`, prompt);
    this.rebuild();
    this.log.info(`prompts: published ${name} version ${version}`);
    for (const fn of this.publishListeners) fn(name, version);
    return { prompt, created: true };
  }

  private readonly publishListeners = new Set<(name: string, version: string) => void>();

  /** Called after a version was stored (the gateway tells the other instances to refresh). */
  onPublish(fn: (name: string, version: string) => void): void {
    this.publishListeners.add(fn);
  }

  /** Called with every new registry (the OpenAPI document is rebuilt from it). */
  onChange(fn: (r: PromptRegistry) => void): void {
    this.listeners.add(fn);
  }

  close(): void {
    this.files.close();
  }

  private rebuild(): void {
    const { live, retained } = this.files.entries();
    const stored: PromptEntry[] = [...this.stored.values()].map((prompt) => ({ prompt, live: true }));
    this.current = PromptRegistry.build([...live, ...stored, ...retained], [...this.files.errors(), ...this.storeErrors]);
    for (const fn of this.listeners) fn(this.current);
  }
}
