/**
 * A model name placed inside an upstream URL (Gemini `/models/{model}:generateContent`, Azure
 * `/deployments/{model}/…`). The name comes from the client: unchecked, `../../other/path#` or
 * `x?alt=evil&` would send the operator's key to another path or query on the provider's host.
 * Every adapter that builds a URL from a model name goes through this one function.
 */
export class InvalidModelName extends Error {
  /** The request field at fault, for the client's error envelope. */
  readonly param = 'model';
}

/** Characters that would change the URL's structure (or that some servers decode back into it). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\?#%]/;

/**
 * The model name as one percent-encoded path segment. Refused (InvalidModelName) when it could
 * not stay one segment: empty, `.`/`..`, or holding `/`, `\`, `?`, `#`, `%` or a control character.
 */
export function modelPathSegment(model: string): string {
  if (model === '' || model === '.' || model === '..' || UNSAFE.test(model)) {
    throw new InvalidModelName(`The model name ${JSON.stringify(model)} cannot be used in this provider's URL: it must be one path segment (no '/', '\\', '?', '#', '%', control characters, '.' or '..').`);
  }
  return encodeURIComponent(model);
}
