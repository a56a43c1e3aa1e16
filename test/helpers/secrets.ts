/**
 * Leak checks for the secret-handling tests: a configured secret must not appear in what a
 * client or a log receives — not whole, and not in part: any 8-character run of it counts (a key
 * cut in half by a truncation still leaks that half).
 */
export function assertNoSecretRun(text: string, secrets: readonly string[], where = 'text'): void {
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const run = secret.slice(i, i + 8);
      const at = text.indexOf(run);
      if (at !== -1) throw new Error(`${where} holds 8 characters of a configured secret ("${run}" at ${at}): …${text.slice(Math.max(0, at - 40), at + 48)}…`);
    }
  }
}

/** A log sink for `buildApp({ logStream })`: every pino line, as written. */
export function captureLogs(): { lines: string[]; stream: { write(line: string): void }; text(): string } {
  const lines: string[] = [];
  return { lines, stream: { write: (l) => void lines.push(l) }, text: () => lines.join('') };
}
