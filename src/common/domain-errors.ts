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

/** Bad input that passed DTO validation but not the service's rules. */
export class InvalidInputError extends Error {
  constructor(
    readonly field: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
