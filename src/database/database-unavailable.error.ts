/** The database cannot be reached now; the edge answers 503 with Retry-After. */
export class DatabaseUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The database is not reachable right now', { cause });
  }
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
// 57P01..57P03: admin shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions;
// 57014: statement timeout (a stalled database, answered as unavailable rather than hanging).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|57014)$/;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  // Not `instanceof Error`: socket errors may come from another realm (Node internals, test VMs).
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  const driverError = (error as { driverError?: unknown }).driverError;
  if (driverError && driverError !== error && isDatabaseUnavailable(driverError)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection timeout/i.test(
    String((error as { message?: unknown }).message ?? ''),
  );
}
