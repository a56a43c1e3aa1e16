/** A prompt version published through `POST /admin/prompts`: its source text, as a file would hold it. */
export interface StoredPrompt {
  name: string;
  version: string;
  source: string;
  /** Unix ms. */
  createdAt: number;
}

/**
 * Where published prompt versions live (docs/contract.md §5, §7: PostgreSQL/SQLite through the ledger's
 * storage). Versions are immutable: `put` of an existing name@version is refused by the
 * library before it gets here. A database implementation needs one table
 * (name, version, source, created_at; primary key name+version).
 */
export interface PromptStore {
  list(): Promise<StoredPrompt[]>;
  put(prompt: StoredPrompt): Promise<void>;
}

/** In-process store: published versions last as long as the process (used until the database store is wired). */
export class MemoryPromptStore implements PromptStore {
  private readonly rows = new Map<string, StoredPrompt>();

  async list(): Promise<StoredPrompt[]> {
    return [...this.rows.values()];
  }

  async put(p: StoredPrompt): Promise<void> {
    this.rows.set(`${p.name}@${p.version}`, { ...p });
  }
}
