import { useState } from 'preact/hooks';
import { ApiError, send, stream } from '../api';
import { initialValues, SchemaFields, valuesToBody, type JsonSchema } from '../components/SchemaForm';
import { Empty, ErrorNote, Link, Loading, PageHeader, TableWrap } from '../components/ui';
import { int, usd } from '../format';
import { useApi, useTitle } from '../hooks';
import type { Scope } from '../scope';

interface PromptListing {
  name: string;
  description: string;
  model: string;
  latest: string;
  versions: string[];
  input: JsonSchema;
  output: 'text' | JsonSchema;
  teams?: string[];
}
interface PromptList {
  data: PromptListing[];
  errors: Array<{ source: string; message: string }>;
}

export function Prompts({ scope, name }: { scope: Scope; name: string | null }) {
  const list = useApi<PromptList>('/v1/prompts');
  const prompt = name ? list.data?.data.find((p) => p.name === name) : undefined;
  useTitle(name ? `Prompt ${name}` : 'Prompts');
  if (name) {
    return (
      <>
        <PageHeader title={`Prompt ${name}`}>
          <Link to="/prompts" class="btn">
            All prompts
          </Link>
        </PageHeader>
        <ErrorNote error={list.error} what="Could not load the prompts" />
        {!list.data && list.loading && <Loading />}
        {list.data && !prompt && (
          <Empty title={`There is no prompt named “${name}” that this key may call.`}>
            <p>
              <Link to="/prompts">See the prompts this gateway serves.</Link>
            </p>
          </Empty>
        )}
        {prompt && <TryPrompt key={prompt.name} prompt={prompt} />}
      </>
    );
  }
  return (
    <>
      <PageHeader title="Prompts" />
      <ErrorNote error={list.error} what="Could not load the prompts" />
      {!list.data && list.loading && <Loading />}
      {list.data && list.data.data.length === 0 && (
        <Empty title="No prompts yet.">
          <p>
            Add a <code>.md</code> file to the prompts folder (config <code>prompts.dir</code>){scope.admin ? ', or publish one below' : ''}: each becomes{' '}
            <code>POST /v1/prompts/&lt;name&gt;</code>.
          </p>
        </Empty>
      )}
      {list.data && list.data.data.length > 0 && (
        <TableWrap label="Prompts">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Model</th>
              <th scope="col">Latest</th>
              <th scope="col">Versions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((p) => (
              <tr key={p.name}>
                <td>
                  <Link to={`/prompts/${encodeURIComponent(p.name)}`}>{p.name}</Link>
                </td>
                <td>{p.description}</td>
                <td>
                  <code>{p.model}</code>
                </td>
                <td>{p.latest}</td>
                <td>{p.versions.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      )}
      {list.data && list.data.errors.length > 0 && (
        <section aria-labelledby="prompt-errors">
          <h2 id="prompt-errors">Prompts that did not load</h2>
          <ul class="problems">
            {list.data.errors.map((e) => (
              <li key={e.source}>
                <code>{e.source}</code>: {e.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {scope.admin && <Publish onPublished={list.reload} />}
    </>
  );
}

interface Done {
  output: unknown;
  model: string;
  usage?: { prompt_tokens?: number; completion_tokens?: number; cost?: number };
  prompt: { name: string; version: string };
}

/** The input schema as a form; "Run" calls POST /v1/prompts/{name} with stream: true and shows the answer as it arrives. */
function TryPrompt({ prompt }: { prompt: PromptListing }) {
  const [version, setVersion] = useState(prompt.latest);
  const [values, setValues] = useState(() => initialValues(prompt.input));
  const [answer, setAnswer] = useState('');
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [running, setRunning] = useState(false);

  const run = (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    setAnswer('');
    let body: Record<string, unknown>;
    try {
      body = valuesToBody(prompt.input, values);
    } catch (err) {
      setError(err as Error);
      return;
    }
    const path = version === prompt.latest ? `/v1/prompts/${encodeURIComponent(prompt.name)}` : `/v1/prompts/${encodeURIComponent(prompt.name)}/versions/${encodeURIComponent(version)}`;
    setRunning(true);
    stream(path, { ...body, stream: true }, (ev) => {
      if (ev.event === 'delta') setAnswer((a) => a + String((ev.data as { text?: string }).text ?? ''));
      else if (ev.event === 'done') setDone(ev.data as Done);
      else if (ev.event === 'error') {
        const er = (ev.data as { error?: { message?: string; code?: string } }).error;
        setError(new ApiError(er?.message ?? 'The prompt failed.', 502, er?.code ?? null));
      }
    })
      .catch((err: Error) => setError(err))
      .finally(() => setRunning(false));
  };

  const cost = done?.usage?.cost;
  return (
    <div class="columns">
      <form class="card form" onSubmit={run} aria-labelledby="try-title">
        <h2 id="try-title">Try it</h2>
        <p class="muted">
          {prompt.description} Model <code>{prompt.model}</code>; output {prompt.output === 'text' ? 'text' : 'JSON (validated against its schema)'}.
        </p>
        <div class="field">
          <label for="try-version">Version</label>
          <select id="try-version" value={version} onChange={(e) => setVersion(e.currentTarget.value)}>
            {[...prompt.versions].reverse().map((v) => (
              <option key={v} value={v}>
                {v}
                {v === prompt.latest ? ' (latest)' : ''}
              </option>
            ))}
          </select>
        </div>
        <SchemaFields schema={prompt.input} idPrefix="try" values={values} onChange={setValues} />
        <button type="submit" class="btn btn-primary" disabled={running}>
          {running ? 'Running…' : 'Run'}
        </button>
      </form>
      <section class="card" aria-labelledby="answer-title">
        <h2 id="answer-title">Answer</h2>
        <ErrorNote error={error} what="The prompt did not answer" />
        <pre class="answer" data-testid="prompt-answer" aria-live="polite" aria-busy={running}>
          {answer || (running ? '' : 'Run the prompt to see its answer here, as it streams.')}
        </pre>
        {done && (
          <p class="muted" data-testid="prompt-done">
            {done.prompt.name} {done.prompt.version} on {done.model}: {int(done.usage?.prompt_tokens ?? 0)} tokens in, {int(done.usage?.completion_tokens ?? 0)} out
            {typeof cost === 'number' ? `, ${usd(Math.round(cost * 1e9))}` : ''}.
          </p>
        )}
        {done && typeof done.output !== 'string' && <pre class="answer">{JSON.stringify(done.output, null, 2)}</pre>}
      </section>
    </div>
  );
}

const SKELETON = `---
name: my-prompt
version: "1.0"
description: What this prompt does.
model: mock/echo
input:
  type: object
  required: [text]
  properties:
    text: { type: string, description: The text to work on. }
---
{{ text }}
`;

/** Publishes a version (POST /admin/prompts): the same text as a prompts/*.md file. */
function Publish({ onPublished }: { onPublished: () => void }) {
  const [source, setSource] = useState(SKELETON);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    send<{ name: string; version: string; created: boolean }>('POST', '/admin/prompts', { source }).then(
      (r) => {
        setDone(r.created ? `Published ${r.name} version ${r.version}.` : `${r.name} version ${r.version} was already published with this text.`);
        onPublished();
      },
      (err: ApiError) => setError(err),
    );
  };
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="publish-title">
      <h2 id="publish-title">Publish a version</h2>
      <p class="muted">Front matter and template, as in a prompts/*.md file. Versions are immutable; every instance serves it at once.</p>
      <ErrorNote error={error} what="Not published" />
      {done && (
        <p class="success" role="status">
          {done}
        </p>
      )}
      <div class="field">
        <label for="publish-source">Prompt source</label>
        <textarea id="publish-source" class="mono" rows={14} value={source} onInput={(e) => setSource(e.currentTarget.value)} spellcheck={false} />
      </div>
      <button type="submit" class="btn btn-primary">
        Publish
      </button>
    </form>
  );
}
