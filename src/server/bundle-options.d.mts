import type { BuildOptions } from 'esbuild';
export function gatewayBundleOptions(entry: string, outfile: string): BuildOptions;
export function cliBundleOptions(entry: string, outdir: string): BuildOptions;
