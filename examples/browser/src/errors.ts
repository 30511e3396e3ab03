/** Returns an error's message, or the thrown value as text when it is not an Error. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Returns the sentence the page shows when `action` failed, such as
 * "Loading the checkpoint 'x.pth' failed: checkpoint: the file is empty."
 */
export function describeFailure(action: string, error: unknown): string {
  const message = errorMessage(error).trim() || 'no reason given';
  return `${action} failed: ${message}${/[.!?]$/.test(message) ? '' : '.'}`;
}
