/** An error the CLI reports as one line on stderr (`tollgate: …`) and exits 1 with; never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    /** The HTTP status when the gateway answered with an error; undefined when it could not be reached. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CliError';
  }

  /** Worth polling again (a live view): the gateway was unreachable or had a server error — not a refusal. */
  get transient(): boolean {
    return this.status === undefined || this.status >= 500;
  }
}
