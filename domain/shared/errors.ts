/** Domain errors are values; the HTTP edge maps each class to one problem+json status. */
export interface FieldIssue {
  path: string;
  message: string;
}

export class DomainError extends Error {
  override readonly name: string = 'DomainError';
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
}

export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A unique name is taken: the conflict names the resource that holds it, so the caller can go on with it. */
export class DuplicateError extends ConflictError {
  constructor(
    message: string,
    readonly existing: { collection: string; id: string },
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

/** The caller's If-Match names a version that is no longer the current one (checked inside the write). */
export class StaleVersionError extends DomainError {
  override readonly name = 'StaleVersionError';
  constructor(
    message: string,
    readonly currentVersion: number,
  ) {
    super(message);
  }
}

/** Input that is well-formed but breaks a rule (400 with field issues, or 422 when `unprocessable`). */
export class InvalidError extends DomainError {
  override readonly name = 'InvalidError';
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly unprocessable = false,
  ) {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
}
