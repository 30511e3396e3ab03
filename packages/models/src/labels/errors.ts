import { MobileMambaError } from '@mobilemamba/core';

/** A class-label list is empty or malformed. `source` names the file or text it came from. */
export class InvalidLabelsError extends MobileMambaError {
  override readonly name = 'InvalidLabelsError';

  constructor(
    readonly source: string,
    reason: string,
  ) {
    super(`invalid class labels in ${source}: ${reason}`);
  }
}
