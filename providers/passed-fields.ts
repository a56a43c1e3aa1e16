/**
 * Adds the fields a client sent for this provider verbatim (ChatRequest.passedFields, chosen by
 * ./capabilities.ts) to a translated upstream body. A field the translation already set keeps the
 * translated value: the table never passes a field its adapter also writes.
 */
export function withPassedFields<T extends object>(body: T, fields: Record<string, unknown> | undefined): T {
  if (!fields) return body;
  const out = body as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) if (!(key in out)) out[key] = value;
  return body;
}
