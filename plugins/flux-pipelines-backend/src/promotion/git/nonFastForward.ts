/** A push refused because the remote branch moved on; fetch, re-apply and retry. */
export class NonFastForwardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NonFastForwardError';
  }
}

/** Whether `git push --porcelain` output says the remote branch moved on. */
export function isNonFastForward(output: string): boolean {
  return (
    /\[rejected\].*\((non-fast-forward|fetch first|stale info)\)/.test(
      output,
    ) ||
    // Another push won the race on the server.
    /\[remote rejected\].*\((cannot lock ref|incorrect old value)/.test(output)
  );
}
