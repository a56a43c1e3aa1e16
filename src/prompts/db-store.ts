import type { PromptsRepo } from '../storage/ports.js';
import type { PromptStore, StoredPrompt } from './store.js';

/** Published prompt versions in the gateway's database (shared by every instance on it). */
export class DbPromptStore implements PromptStore {
  constructor(private readonly repo: PromptsRepo) {}

  list(): Promise<StoredPrompt[]> {
    return this.repo.list();
  }

  put(p: StoredPrompt): Promise<void> {
    return this.repo.insert({ name: p.name, version: p.version, source: p.source, createdAt: p.createdAt });
  }
}
