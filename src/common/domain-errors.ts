/**
 * Errors the services raise, free of HTTP; the exception filter maps each to its status once.
 */
export class NotFoundError extends Error {}

export class ConflictError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The credential presented is not (or no longer) valid (401), with the reason code. */
export class UnauthorizedError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The credential is valid but may not do this (403). */
export class ForbiddenError extends Error {}

export class PreconditionFailedError extends Error {}

/** One problem of a request, at the field (dotted path) it names. */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

/** Bad input that passed DTO validation but not the service's rules; `field`, `code` and `message` are its first problem. */
export class InvalidInputError extends Error {
  constructor(
    readonly field: string,
    readonly code: string,
    message: string,
    /** Every problem found, the first included, so that a form shows them all at once; just the first when omitted. */
    readonly problems: FieldProblem[] = [{ field, code, message }],
  ) {
    super(message);
  }

  static of(problems: [FieldProblem, ...FieldProblem[]]): InvalidInputError {
    const [first] = problems;
    return new InvalidInputError(first.field, first.code, first.message, problems);
  }
}
