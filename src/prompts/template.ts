import { createRequire } from 'node:module';
import type { FS, Liquid, Template } from 'liquidjs';
import { invalidRequest } from '../engine/errors.js';

/**
 * Prompt templates are Liquid (liquidjs): `{{ variable }}`, filters, `{% if %}`/`{% for %}`.
 * Why liquidjs: it is the one kept engine with all three properties a prompt needs —
 * - the input schema is the contract: every top-level variable a template reads must be declared
 *   in `input.properties` (checked at load, compile-prompt.ts, so a typo is a load error), and a
 *   body the schema accepts always renders — an optional variable the call leaves out (or an
 *   absent nested field) renders as nothing, Liquid's own rule; `{% if x %}` and
 *   `| default:` shape the text around it;
 * - values are data: a variable's value is output as-is and never parsed as template again
 *   (a value holding `{{ x }}` or `{% … %}` arrives in the prompt verbatim);
 * - bounds: parseLimit / renderLimit / memoryLimit cap what a template or a large input may cost.
 * No HTML escaping (the reader is a model, not a browser); objects and arrays are inserted as
 * JSON, which is what a prompt wants. `{% include %}`/`{% render %}`/`{% layout %}` are refused
 * at load, and the engine's file system refuses every lookup besides, so a template cannot pull
 * a file off the gateway's disk.
 */

const noFiles: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file: string): Promise<string> => {
    throw new Error(`templates cannot include files ('${file}')`);
  },
  readFileSync: (file: string): string => {
    throw new Error(`templates cannot include files ('${file}')`);
  },
  resolve: (_root: string, file: string) => file,
  contains: async () => false,
  containsSync: () => false,
  sep: '/',
};

// Loaded on the first template (~8 MB of RSS): a gateway that serves no prompt never pays it.
const require = createRequire(import.meta.url);
let loaded: Liquid | undefined;

function liquid(): Liquid {
  if (loaded) return loaded;
  const e = new (require('liquidjs') as typeof import('liquidjs')).Liquid({
    strictVariables: false,
    strictFilters: true,
    ownPropertyOnly: true,
    fs: noFiles,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    // A template is authored text; 200 kB of it is already far past any sane prompt.
    parseLimit: 200_000,
    // Wall-clock cap on one render (loops over a large input); ms.
    renderLimit: 1_000,
    // Cap on what one render may allocate in strings/arrays (liquidjs counts it).
    memoryLimit: 50_000_000,
    outputEscape: (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)),
  });

  // Partials would read files (or named templates we do not have): refused when the template loads.
  for (const tag of ['include', 'render', 'layout']) {
    e.registerTag(tag, {
      parse() {
        throw new Error(`{% ${tag} %} is not available in prompt templates (they cannot read files)`);
      },
      render: () => '',
    });
  }
  loaded = e;
  return e;
}

export interface CompiledTemplate {
  /** Top-level variables the template reads (loop variables excluded). */
  variables: string[];
  render(vars: Record<string, unknown>): Promise<string>;
}

/** Parses a template once (at load); throws with Liquid's line/column message on a syntax error. */
export function compileTemplate(source: string): CompiledTemplate {
  const engine = liquid();
  const tpl: Template[] = engine.parse(source);
  const variables = engine.globalVariablesSync(tpl);
  return {
    variables,
    async render(vars) {
      try {
        return await engine.render(tpl, vars);
      } catch (err) {
        throw toRenderError(err as Error);
      }
    },
  };
}

function toRenderError(err: Error): Error {
  // Render limits (time, memory) and filter errors on the values: the request made the render fail.
  return invalidRequest(`The prompt template could not be rendered with these variables: ${err.message}`, null, 'template_render_failed');
}
