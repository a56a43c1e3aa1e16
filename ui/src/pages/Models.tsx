import { useMemo, useState } from 'preact/hooks';
import { Empty, ErrorNote, Loading, PageHeader, TableWrap } from '../components/ui';
import { int, pricePerMtok } from '../format';
import { useApi, useTitle } from '../hooks';

interface CatalogModel {
  id: string;
  provider: string;
  provider_type: string;
  model: string;
  mode: string | null;
  context_window: number | null;
  max_output_tokens: number | null;
  input_per_mtok_micros: number | null;
  output_per_mtok_micros: number | null;
  cached_input_per_mtok_micros: number | null;
  price_source: string | null;
  price_as_of: string | null;
}
interface Catalog {
  data: CatalogModel[];
  aliases: Array<{ id: string; strategy: string; targets: string[] }>;
}

const SHOWN = 200;

/** The models the configured providers serve (GET /v1/catalog), with prices per 1M tokens; searchable. */
export function Models() {
  useTitle('Models');
  const catalog = useApi<Catalog>('/v1/catalog');
  const [q, setQ] = useState('');
  const [provider, setProvider] = useState('');
  const providers = useMemo(() => [...new Set(catalog.data?.data.map((m) => m.provider) ?? [])].sort(), [catalog.data]);
  const matches = useMemo(() => {
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    return (catalog.data?.data ?? []).filter((m) => (!provider || m.provider === provider) && words.every((w) => `${m.id} ${m.mode ?? ''} ${m.provider_type}`.toLowerCase().includes(w)));
  }, [catalog.data, q, provider]);

  return (
    <>
      <PageHeader title="Models" />
      <form class="filters" onSubmit={(e) => e.preventDefault()} role="search" aria-label="Search models">
        <div class="field field-grow">
          <label for="m-search">Search</label>
          <input id="m-search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder="e.g. gpt-4o, claude, embedding" autocomplete="off" />
        </div>
        <div class="field">
          <label for="m-provider">Provider</label>
          <select id="m-provider" value={provider} onChange={(e) => setProvider(e.currentTarget.value)}>
            <option value="">All configured</option>
            {providers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorNote error={catalog.error} what="Could not load the models" />
      {!catalog.data && catalog.loading && <Loading />}
      {catalog.data && (
        <p class="muted" role="status">
          {matches.length === catalog.data.data.length ? `${int(matches.length)} models` : `${int(matches.length)} of ${int(catalog.data.data.length)} models match`}
          {matches.length > SHOWN ? ` — showing the first ${SHOWN}; narrow the search to see others` : ''}.
        </p>
      )}
      {catalog.data && matches.length === 0 && (
        <Empty title={catalog.data.data.length ? 'No model matches.' : 'No models are available to this key.'}>
          <p>
            {catalog.data.data.length
              ? 'Try part of the name (gpt, claude, llama) or another provider.'
              : 'Configure a provider (providers: in the config, or an OPENAI_API_KEY-style variable), or ask an admin to widen this key’s allowed models.'}
          </p>
        </Empty>
      )}
      {matches.length > 0 && (
        <TableWrap label="Models">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Served by</th>
              <th scope="col">Mode</th>
              <th scope="col" class="num">Context</th>
              <th scope="col" class="num">Max output</th>
              <th scope="col" class="num">Input / 1M</th>
              <th scope="col" class="num">Output / 1M</th>
              <th scope="col" class="num">Cached / 1M</th>
              <th scope="col">Price source</th>
            </tr>
          </thead>
          <tbody>
            {matches.slice(0, SHOWN).map((m) => (
              <tr key={m.id}>
                <td>
                  <code>{m.id}</code>
                </td>
                <td>
                  {m.provider} <span class="muted">({m.provider_type})</span>
                </td>
                <td>{m.mode ?? '—'}</td>
                <td class="num">{int(m.context_window)}</td>
                <td class="num">{int(m.max_output_tokens)}</td>
                <td class="num">{pricePerMtok(m.input_per_mtok_micros)}</td>
                <td class="num">{pricePerMtok(m.output_per_mtok_micros)}</td>
                <td class="num">{pricePerMtok(m.cached_input_per_mtok_micros)}</td>
                <td>{m.price_source ? `${m.price_source}, ${m.price_as_of}` : 'no price'}</td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      )}
      {catalog.data && catalog.data.aliases.length > 0 && (
        <section aria-labelledby="aliases-title">
          <h2 id="aliases-title">Aliases</h2>
          <TableWrap label="Aliases">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Strategy</th>
                <th scope="col">Targets</th>
              </tr>
            </thead>
            <tbody>
              {catalog.data.aliases.map((a) => (
                <tr key={a.id}>
                  <td>
                    <code>{a.id}</code>
                  </td>
                  <td>{a.strategy}</td>
                  <td>{a.targets.join(' → ')}</td>
                </tr>
              ))}
            </tbody>
          </TableWrap>
        </section>
      )}
    </>
  );
}
