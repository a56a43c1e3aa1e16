import { readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { compilePrompt } from './compile-prompt.js';
import { parsePromptSource } from './parse-prompt.js';
import type { PromptEntry } from './registry.js';
import type { CompiledPrompt, PromptLoadError } from './types.js';

interface FileState {
  text: string;
  /** What the file defines now (its last good content). */
  current?: CompiledPrompt;
  /** Versions this file defined before an edit changed its version: still callable by pinning. */
  retained: Map<string, CompiledPrompt>;
  /** Why the file's latest content could not be loaded (the last good version keeps serving). */
  error?: string;
}

export interface FileSourceLog {
  info(msg: string): void;
  warn(msg: string): void;
}

/**
 * The `*.md` files of the prompts directory, each remembered with its last good version.
 * `scan()` re-reads the directory and says whether anything changed; unchanged files are not
 * re-parsed. A broken edit keeps the last good version serving and reports the error; an edit
 * that bumps `version` keeps the old version for pinned calls; a deleted file takes all its
 * versions with it.
 */
export class PromptFileSource {
  private files = new Map<string, FileState>();
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(
    readonly dir: string,
    private readonly log: FileSourceLog,
  ) {}

  scan(): boolean {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.md') && !n.startsWith('.')).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`prompts: cannot read ${this.dir}: ${(err as Error).message}`);
      names = [];
    }
    let changed = false;
    for (const name of [...this.files.keys()]) {
      if (!names.includes(name)) {
        this.files.delete(name);
        this.log.info(`prompts: ${name} removed`);
        changed = true;
      }
    }
    for (const name of names) {
      let text: string;
      try {
        text = readFileSync(join(this.dir, name), 'utf8');
      } catch {
        continue; // removed between readdir and read: the next event rescans
      }
      const st = this.files.get(name);
      if (st?.text === text) continue;
      changed = true;
      this.load(name, text, st);
    }
    return changed;
  }

  private load(file: string, text: string, prev: FileState | undefined): void {
    const st: FileState = { text, retained: prev?.retained ?? new Map(), ...(prev?.current && { current: prev.current }) };
    try {
      const next = compilePrompt(parsePromptSource(text, { kind: 'file', path: file }, basename(file, '.md')));
      const old = st.current;
      if (old && (old.def.name !== next.def.name || old.def.version !== next.def.version)) st.retained.set(`${old.def.name}@${old.def.version}`, old);
      st.retained.delete(`${next.def.name}@${next.def.version}`);
      st.current = next;
      this.log.info(`prompts: loaded ${next.def.name} version ${next.def.version} from ${file}`);
    } catch (err) {
      st.error = (err as Error).message;
      const serving = st.current ? `; still serving ${st.current.def.name} version ${st.current.def.version}` : '';
      this.log.warn(`prompts: ${file} is broken: ${st.error}${serving}`);
    }
    this.files.set(file, st);
  }

  /** Live entries first (files in name order), then retained ones. */
  entries(): { live: PromptEntry[]; retained: PromptEntry[] } {
    const live: PromptEntry[] = [];
    const retained: PromptEntry[] = [];
    for (const st of this.files.values()) {
      if (st.current) live.push({ prompt: st.current, live: true });
      for (const p of st.retained.values()) retained.push({ prompt: p, live: false });
    }
    return { live, retained };
  }

  errors(): PromptLoadError[] {
    return [...this.files].filter(([, st]) => st.error).map(([file, st]) => ({ source: file, message: st.error! }));
  }

  /**
   * Watches the directory (inotify through fs.watch) and calls `onChange` after a scan that
   * changed something. Events are debounced: an editor's save is often several events
   * (truncate, write, rename), and reading in between would see a half-written file.
   */
  watch(onChange: () => void, debounceMs = 60): void {
    try {
      this.watcher = watch(this.dir, { persistent: false }, () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          if (this.scan()) onChange();
        }, debounceMs);
      });
      this.watcher.on('error', (err) => this.log.warn(`prompts: watching ${this.dir} stopped: ${err.message}`));
    } catch (err) {
      this.log.warn(`prompts: cannot watch ${this.dir} (${(err as Error).message}); prompt files are not reloaded`);
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}
