/** A start-up failure that is explained in one line and ends the process with a non-zero code. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
