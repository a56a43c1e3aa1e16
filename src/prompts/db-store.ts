import type { Db } from '../storage/sqlite/open.js';
import { promptVersions } from '../storage/sqlite/schema/index.js';
import type { PromptStore, StoredPrompt } from './store.js';

/** Published prompt versions in the gateway's database (shared by every instance on it). */
export class DbPromptStore implements PromptStore {
  constructor(private readonly db: Db) {}

  async list(): Promise<StoredPrompt[]> {
    return this.db.select().from(promptVersions).all();
  }

  async put(p: StoredPrompt): Promise<void> {
    this.db.insert(promptVersions).values({ name: p.name, version: p.version, source: p.source, createdAt: p.createdAt }).onConflictDoNothing().run();
  }
}
