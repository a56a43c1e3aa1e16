import { useState } from 'preact/hooks';

export type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
};

type Kind = 'text' | 'textarea' | 'integer' | 'number' | 'boolean' | 'enum' | 'json';

function kindOf(name: string, s: JsonSchema): Kind {
  if (Array.isArray(s.enum)) return 'enum';
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'integer') return 'integer';
  if (t === 'number') return 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'string') return (s.maxLength ?? 100_000) > 300 && /text|body|content|message|document|input/i.test(name) ? 'textarea' : 'text';
  if (t === undefined && !s.properties) return 'text';
  return 'json';
}

/** Form values (text per field, booleans as 'true'/'false') → the JSON body; throws naming a field whose JSON does not parse. */
export function valuesToBody(schema: JsonSchema, values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const v = values[name] ?? '';
    const kind = kindOf(name, s);
    if (kind === 'boolean') {
      if (v === 'true' || v === 'false') out[name] = v === 'true';
      continue;
    }
    if (v === '') continue; // left out: the schema's default (or nothing) applies
    if (kind === 'integer' || kind === 'number') out[name] = Number.isFinite(Number(v)) ? Number(v) : v;
    else if (kind === 'json') {
      try {
        out[name] = JSON.parse(v);
      } catch {
        throw new Error(`${name}: not valid JSON`);
      }
    } else if (kind === 'enum') {
      const match = s.enum!.find((e) => String(e) === v);
      out[name] = match ?? v;
    } else out[name] = v;
  }
  return out;
}

export function initialValues(schema: JsonSchema): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    if (s.default === undefined) out[name] = '';
    else out[name] = typeof s.default === 'string' ? s.default : JSON.stringify(s.default);
  }
  return out;
}

/** The prompt's input schema as form fields: one labelled control per property, required ones marked. */
export function SchemaFields({ schema, idPrefix, values, onChange }: { schema: JsonSchema; idPrefix: string; values: Record<string, string>; onChange: (v: Record<string, string>) => void }) {
  const [v, setV] = useState(values);
  const required = new Set(schema.required ?? []);
  const props = Object.entries(schema.properties ?? {});
  const set = (name: string, value: string) => {
    const next = { ...v, [name]: value };
    setV(next);
    onChange(next);
  };
  if (!props.length) return <p class="muted">This prompt takes no input.</p>;
  return (
    <>
      {props.map(([name, s]) => {
        const id = `${idPrefix}-${name}`;
        const kind = kindOf(name, s);
        const hintId = s.description || kind === 'json' ? `${id}-hint` : undefined;
        const label = (
          <label for={id}>
            {name}
            {required.has(name) ? <span class="req"> (required)</span> : <span class="muted"> (optional)</span>}
          </label>
        );
        const common = { id, name, 'aria-describedby': hintId, 'aria-required': required.has(name) ? ('true' as const) : undefined };
        let control;
        if (kind === 'textarea') control = <textarea {...common} rows={5} value={v[name]} onInput={(e) => set(name, e.currentTarget.value)} />;
        else if (kind === 'enum')
          control = (
            <select {...common} value={v[name]} onChange={(e) => set(name, e.currentTarget.value)}>
              <option value="">{required.has(name) ? 'Choose…' : '(not set)'}</option>
              {s.enum!.map((o) => (
                <option key={String(o)} value={String(o)}>
                  {String(o)}
                </option>
              ))}
            </select>
          );
        else if (kind === 'boolean')
          control = (
            <select {...common} value={v[name]} onChange={(e) => set(name, e.currentTarget.value)}>
              <option value="">(not set)</option>
              <option value="true">true</option>
              <option value="false">false</option>
            </select>
          );
        else if (kind === 'integer' || kind === 'number')
          control = <input {...common} type="number" step={kind === 'integer' ? 1 : 'any'} min={s.minimum} max={s.maximum} value={v[name]} onInput={(e) => set(name, e.currentTarget.value)} />;
        else if (kind === 'json') control = <textarea {...common} rows={3} class="mono" value={v[name]} onInput={(e) => set(name, e.currentTarget.value)} />;
        else control = <input {...common} type="text" value={v[name]} onInput={(e) => set(name, e.currentTarget.value)} autocomplete="off" />;
        return (
          <div class="field" key={name}>
            {label}
            {control}
            {hintId && (
              <div class="hint" id={hintId}>
                {s.description}
                {kind === 'json' ? `${s.description ? ' ' : ''}(JSON)` : ''}
              </div>
            )}
          </div>
        );
      })}
    </>
  );
}
