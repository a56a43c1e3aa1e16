import type { CompiledPrompt, PromptListing, PromptLoadError } from './types.js';
import { compareVersions } from './version-order.js';

/** A loaded version and whether a source serves it now (`live`) or it was superseded and is kept for pinned calls. */
export interface PromptEntry {
  prompt: CompiledPrompt;
  live: boolean;
}

interface Versions {
  latest: CompiledPrompt;
  byVersion: ReadonlyMap<string, CompiledPrompt>;
  /** Ascending. */
  order: readonly string[];
}

/**
 * The prompts one request sees: immutable, rebuilt on every change (file edit, publish) and
 * swapped in whole (docs/architecture.md §6), so a request keeps the registry it started with.
 * `latest` is the highest version a source serves now; superseded versions (an edited file's
 * old version) stay callable by pinning but never become latest again.
 */
export class PromptRegistry {
  private constructor(
    private readonly byName: ReadonlyMap<string, Versions>,
    readonly errors: readonly PromptLoadError[],
  ) {}

  static empty(): PromptRegistry {
    return new PromptRegistry(new Map(), []);
  }

  /** Entries earlier in the list win a name@version clash (files before the store); a clash of different sources is reported. */
  static build(entries: readonly PromptEntry[], loadErrors: readonly PromptLoadError[]): PromptRegistry {
    const errors = [...loadErrors];
    const groups = new Map<string, Map<string, PromptEntry>>();
    for (const e of entries) {
      const { name, version } = e.prompt.def;
      let g = groups.get(name);
      if (!g) groups.set(name, (g = new Map()));
      const seen = g.get(version);
      if (!seen) g.set(version, e);
      else if (seen.prompt.def.source !== e.prompt.def.source && e.live) {
        errors.push({ source: originOf(e.prompt), message: `${name} version ${version} is already defined by ${originOf(seen.prompt)}; this copy is ignored` });
      }
    }
    const byName = new Map<string, Versions>();
    for (const [name, g] of groups) {
      const order = [...g.keys()].sort(compareVersions);
      const live = order.filter((v) => g.get(v)!.live);
      const latestVersion = (live.length ? live : order).at(-1)!;
      const byVersion = new Map([...g].map(([v, e]) => [v, e.prompt]));
      byName.set(name, { latest: byVersion.get(latestVersion)!, byVersion, order });
    }
    return new PromptRegistry(byName, Object.freeze(errors));
  }

  get(name: string, version?: string): CompiledPrompt | undefined {
    const v = this.byName.get(name);
    if (!v) return undefined;
    return version === undefined ? v.latest : v.byVersion.get(version);
  }

  has(name: string, version: string): boolean {
    return this.byName.get(name)?.byVersion.has(version) ?? false;
  }

  /** Latest version of every prompt, sorted by name. */
  latest(): CompiledPrompt[] {
    return [...this.byName.keys()].sort().map((n) => this.byName.get(n)!.latest);
  }

  list(): PromptListing[] {
    return [...this.byName.keys()].sort().map((name) => {
      const v = this.byName.get(name)!;
      const d = v.latest.def;
      return {
        name,
        description: d.description,
        model: d.model,
        latest: d.version,
        versions: [...v.order],
        input: d.input,
        output: d.output,
        ...(d.teams && { teams: d.teams }),
      };
    });
  }
}

export const originOf = (p: CompiledPrompt): string => (p.def.origin.kind === 'file' ? p.def.origin.path : `store:${p.def.name}@${p.def.version}`);
