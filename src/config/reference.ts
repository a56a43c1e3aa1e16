import type { TSchema } from '@sinclair/typebox';
import { ConfigFile } from './schema.js';
import { CONFIG_NOTES, type ConfigNote } from './reference-notes.js';

/**
 * The configuration reference (docs/configuration.md) is generated from the config schema
 * itself: every key's path, type, allowed values and bounds come from the schema; what it
 * means, its default and an example come from CONFIG_NOTES. A test regenerates the page and
 * fails when it differs, or when a schema key has no note or a note names no schema key.
 * Regenerate with `npm run docs:config`.
 */
export interface ConfigKey {
  path: string;
  type: string;
  required: boolean;
}

const NAME = '<name>';

function typeOf(s: any): string {
  if (s.anyOf) return [...new Set((s.anyOf as any[]).map(typeOf))].join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === 'array') return `list of ${typeOf(s.items)}`;
  if (s.type === 'object') return s.properties ? 'object' : 'map';
  const bounds = [
    s.minimum !== undefined && `≥ ${s.minimum}`,
    s.exclusiveMinimum !== undefined && `> ${s.exclusiveMinimum}`,
    s.maximum !== undefined && `≤ ${s.maximum}`,
    s.format === 'uri' && 'URL',
  ].filter(Boolean);
  return `${s.type ?? 'any'}${bounds.length ? ` (${bounds.join(', ')})` : ''}`;
}

/** Every key the schema accepts, depth first, in schema order. */
export function configKeys(schema: TSchema = ConfigFile): ConfigKey[] {
  const out: ConfigKey[] = [];
  const seen = new Set<string>();
  const visit = (s: any, path: string, required: boolean) => {
    if (path && !seen.has(path)) {
      seen.add(path);
      out.push({ path, type: typeOf(s), required });
    }
    const objects = s.anyOf ? (s.anyOf as any[]).filter((v) => v.type === 'object' || v.type === 'array') : [s];
    for (const o of objects) {
      if (o.type === 'object' && o.properties) {
        const req = new Set<string>(o.required ?? []);
        for (const [k, v] of Object.entries(o.properties)) visit(v, path ? `${path}.${k}` : k, req.has(k));
      } else if (o.type === 'object' && o.patternProperties) {
        for (const v of Object.values(o.patternProperties)) visit(v, `${path}.${NAME}`, false);
      } else if (o.type === 'array' && o.items) {
        visit(o.items, `${path}[]`, false);
      }
    }
  };
  visit(schema, '', false);
  return out;
}

const cell = (v: string | undefined) => (v ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The markdown page. */
export function renderReference(keys = configKeys(), notes: Readonly<Record<string, ConfigNote>> = CONFIG_NOTES): string {
  const sections = new Map<string, ConfigKey[]>();
  for (const k of keys) {
    const top = k.path.split(/[.[]/)[0]!;
    sections.set(top, [...(sections.get(top) ?? []), k]);
  }
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts and src/config/reference-notes.ts by `npm run docs:config`; do not edit by hand. -->',
    '',
    'The config file is YAML (`--config PATH`, `TOLLGATE_CONFIG`, else `./tollgate.yaml` if present).',
    '`${VAR}` and `${VAR:-default}` are interpolated in every string. Unknown keys are errors, and an',
    'error names its path. `<name>` stands for a name you choose; `[]` for each item of a list.',
    'A commented example of every section: [`tollgate.example.yaml`](../tollgate.example.yaml).',
    '',
  ];
  for (const [top, ks] of sections) {
    lines.push(`## \`${top}\``, '', notes[top]?.description ?? '', '', '| key | type | default | meaning | example |', '|---|---|---|---|---|');
    for (const k of ks) {
      if (k.path === top) continue;
      const n = notes[k.path];
      lines.push(`| \`${k.path}\`${k.required ? ' (required)' : ''} | ${cell(k.type)} | ${cell(n?.default)} | ${cell(n?.description)} | ${n?.example ? `\`${cell(n.example)}\`` : ''} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
