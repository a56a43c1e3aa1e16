import { final, parse, text, type Assembly, type Budget, type Text } from './assembly.js';

interface ToolCall {
  id?: string;
  type?: string;
  name?: string;
  args: Text;
}

interface Choice {
  role?: string;
  content: Text;
  reasoning: Text;
  refusal: Text;
  /** Legacy completions (`choices[].text`). */
  text: Text;
  tools: Map<number, ToolCall>;
  finish: string | null;
  /** Saw any content delta, or only a role (`content: null` stays null, as in a tool-call answer). */
  sawContent: boolean;
}

const HEAD = ['id', 'created', 'model', 'system_fingerprint', 'service_tier'] as const;

/**
 * OpenAI `chat.completion.chunk` (and legacy completions) frames → the equivalent non-stream
 * body: `chat.completion` with each choice's assembled `message` (content, reasoning_content,
 * refusal, tool_calls with their joined arguments), `finish_reason` and the stream's `usage`;
 * `text_completion` for completions. An error frame the stream ended with is kept as `error`.
 */
export function assembleOpenAI(budget: Budget): Assembly {
  const head: Record<string, unknown> = {};
  const choices = new Map<number, Choice>();
  let usage: unknown;
  let error: unknown;
  let legacy = false;

  const choice = (i: number): Choice => {
    let c = choices.get(i);
    if (!c) choices.set(i, (c = { content: text(), reasoning: text(), refusal: text(), text: text(), tools: new Map(), finish: null, sawContent: false }));
    return c;
  };

  return {
    event(data, event) {
      const j = parse(data);
      if (!j) return;
      if (event === 'error' || j.error !== undefined) {
        error = j.error ?? j;
        return;
      }
      for (const k of HEAD) if (j[k] !== undefined && head[k] === undefined) head[k] = j[k];
      if (j.object === 'text_completion') legacy = true;
      if (j.usage) usage = j.usage;
      if (!Array.isArray(j.choices)) return;
      for (const ch of j.choices) {
        const c = choice(typeof ch?.index === 'number' ? ch.index : 0);
        if (typeof ch?.text === 'string') {
          legacy = true;
          budget.add(c.text, ch.text);
        }
        const d = ch?.delta;
        if (d && typeof d === 'object') {
          if (typeof d.role === 'string') c.role = d.role;
          if (typeof d.content === 'string') {
            if (d.content) c.sawContent = true;
            budget.add(c.content, d.content);
          }
          if (typeof d.reasoning_content === 'string') budget.add(c.reasoning, d.reasoning_content);
          if (typeof d.refusal === 'string') budget.add(c.refusal, d.refusal);
          if (Array.isArray(d.tool_calls)) for (const t of d.tool_calls) toolDelta(c, t, budget);
        }
        if (typeof ch?.finish_reason === 'string') c.finish = ch.finish_reason;
      }
    },
    result() {
      let cut = false;
      const take = (t: Text) => {
        cut ||= t.cut;
        return final(t);
      };
      const out = [...choices.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, c]) => {
          if (legacy) return { index, text: take(c.text), logprobs: null, finish_reason: c.finish };
          const tools = [...c.tools.entries()].sort(([a], [b]) => a - b).map(([, t]) => ({ id: t.id, type: t.type ?? 'function', function: { name: t.name, arguments: take(t.args) } }));
          const message: Record<string, unknown> = { role: c.role ?? 'assistant', content: c.sawContent || !tools.length ? take(c.content) : null };
          if (c.reasoning.text) message.reasoning_content = take(c.reasoning);
          message.refusal = c.refusal.text ? take(c.refusal) : null;
          if (tools.length) message.tool_calls = tools;
          return { index, message, logprobs: null, finish_reason: c.finish };
        });
      const body = { ...head, object: legacy ? 'text_completion' : 'chat.completion', choices: out, ...(usage !== undefined && { usage }), ...(error !== undefined && { error }) };
      return { text: JSON.stringify(body), cut };
    },
  };
}

function toolDelta(c: Choice, t: any, budget: Budget): void {
  if (!t || typeof t !== 'object') return;
  const i = typeof t.index === 'number' ? t.index : c.tools.size;
  let call = c.tools.get(i);
  if (!call) c.tools.set(i, (call = { args: text() }));
  if (typeof t.id === 'string') call.id = t.id;
  if (typeof t.type === 'string') call.type = t.type;
  if (typeof t.function?.name === 'string') call.name = t.function.name;
  if (typeof t.function?.arguments === 'string') budget.add(call.args, t.function.arguments);
}
