import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedConfig } from '../../src/config/load.js';

let emptyDir: string | undefined;

/**
 * Tests never read ./prompts (users edit it): a test config that names no prompts dir gets an
 * empty temporary one instead of the `./prompts` default.
 */
export function withTestPromptsDir(loaded: LoadedConfig): LoadedConfig {
  if (loaded.file.prompts?.dir) return loaded;
  emptyDir ??= mkdtempSync(join(tmpdir(), 'tollgate-no-prompts-'));
  return { ...loaded, file: { ...loaded.file, prompts: { ...loaded.file.prompts, dir: emptyDir } } };
}
