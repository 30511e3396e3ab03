/** A usage or input problem the command reports in one line, without a stack trace. */
export class CommandError extends Error {
  override readonly name = 'CommandError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
