/** Types of ./build.mjs for the TypeScript tests that build the console. */
export const UI_ROOT: string;
export const BUDGET_GZIP_BYTES: number;
export function uiConfig(outDir: string): Promise<Record<string, unknown>>;
export function buildUi(outDir: string, opts?: { quiet?: boolean }): Promise<{ files: Array<{ path: string; bytes: number; gzipBytes: number }>; gzipBytes: number }>;
