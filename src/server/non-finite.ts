import { invalidRequest } from '../engine/errors.js';

/**
 * JSON number literals that overflow a double (`1e400`, 309+ digits) parse to ±Infinity and pass
 * any `type: number`/`integer` check without an upper bound; re-serialised they become `null`.
 * Every parsed body is walked once, iteratively (a deeply nested body cannot overflow the stack),
 * at a cost per node, not per byte: a chat body is a few dozen nodes. No text pre-check: a regex
 * for long digit runs backtracks quadratically on a body of many 308-digit numbers (33 s for 9 MB).
 */
export function rejectNonFiniteNumbers(value: unknown): void {
  if (typeof value === 'number' && !Number.isFinite(value)) throw nonFinite('body');
  if (value === null || typeof value !== 'object' || allFinite(value, 0)) return;
  // Something is not finite (or the body nests deeper than the quick check goes): find where.
  const stack: Frame[] = [frame(value)];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.size) {
      stack.pop();
      continue;
    }
    const key = top.keys ? top.keys[top.i]! : top.i;
    top.i++;
    const x = (top.node as Record<string | number, unknown>)[key];
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) throw nonFinite(pathOf(stack));
    } else if (x !== null && typeof x === 'object') stack.push(frame(x));
  }
}

/** Quick recursive check, no allocation; false when a number is not finite or the nesting is deeper than 64. */
function allFinite(v: object, depth: number): boolean {
  if (depth > 64) return false;
  if (Array.isArray(v)) {
    for (const x of v) {
      if (typeof x === 'number' ? !Number.isFinite(x) : x !== null && typeof x === 'object' && !allFinite(x, depth + 1)) return false;
    }
    return true;
  }
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'number' ? !Number.isFinite(x) : x !== null && typeof x === 'object' && !allFinite(x, depth + 1)) return false;
  }
  return true;
}

interface Frame {
  node: object;
  /** Object keys; null for an array. */
  keys: string[] | null;
  size: number;
  /** Next child to visit. */
  i: number;
}

function frame(node: object): Frame {
  if (Array.isArray(node)) return { node, keys: null, size: node.length, i: 0 };
  const keys = Object.keys(node);
  return { node, keys, size: keys.length, i: 0 };
}

/** `messages[0].temperature`: the last visited child of every frame on the stack. */
function pathOf(stack: readonly Frame[]): string {
  let path = '';
  for (const f of stack) {
    path += f.keys ? (path ? `.${f.keys[f.i - 1]}` : f.keys[f.i - 1]) : `[${f.i - 1}]`;
    if (path.length > 200) return `${path.slice(0, 200)}…`; // a 50,000-deep path is no use in a message
  }
  return path;
}

const nonFinite = (param: string) => invalidRequest(`Invalid value for '${param}': numbers must be finite (the value overflows a 64-bit float).`, param, 'invalid_value');
