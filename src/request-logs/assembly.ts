/**
 * A stream is stored as the answer it assembled to, not as its frames: the frames the client
 * received are folded, as they go out, into the non-stream body of the same surface (OpenAI
 * `chat.completion` / `text_completion`, an Anthropic `message`, a prompt's `done` object).
 * Memory is bounded: the text kept is capped (Budget), the frames are not kept at all.
 */

/** One growing text field of an assembled answer. */
export interface Text {
  text: string;
  /** Text that arrived after the budget ran out was dropped: this field is incomplete. */
  cut: boolean;
}

/**
 * Characters an assembly may keep, over all its fields. A field the budget cut loses its last
 * CUT_TAIL characters too: a secret streamed in two pieces, the second dropped, would otherwise
 * leave its first half — unrecognisable to redaction — in the stored body.
 */
export const CUT_TAIL = 1024;

export class Budget {
  constructor(private left: number) {}

  get exhausted(): boolean {
    return this.left <= 0;
  }

  add(field: Text, s: string): void {
    if (!s) return;
    if (this.left <= 0) {
      field.cut = true;
      return;
    }
    if (s.length > this.left) {
      field.text += s.slice(0, this.left);
      field.cut = true;
      this.left = 0;
      return;
    }
    field.text += s;
    this.left -= s.length;
  }
}

export const text = (): Text => ({ text: '', cut: false });
/** A field's text as stored: a cut field without its tail (see CUT_TAIL). */
export const final = (t: Text): string => (t.cut ? t.text.slice(0, Math.max(0, t.text.length - CUT_TAIL)) : t.text);

/** Folds one surface's stream events into its non-stream answer. */
export interface Assembly {
  event(data: string, event: string | undefined): void;
  /** The assembled body (JSON text) and whether text was dropped to keep within the budget. */
  result(): { text: string; cut: boolean };
}

/** A frame's JSON data as an object, or undefined (`[DONE]`, a torn frame). */
export function parse(data: string): Record<string, any> | undefined {
  try {
    const j: unknown = JSON.parse(data);
    return j !== null && typeof j === 'object' && !Array.isArray(j) ? (j as Record<string, any>) : undefined;
  } catch {
    return undefined;
  }
}
