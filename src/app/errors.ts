// Typed application errors. Use cases throw these; only src/http/ turns a code into a status.
export type AppErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'unauthorized'
  | 'forbidden'
  /** Too many attempts (sign-in throttle); details.retry_after_seconds says how long to wait. */
  | 'too_many_requests'
  | 'payload_too_large'
  | 'preflight_failed';

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** The offending input, as a path: "email", "contacts[17].phone", "line 42: email". */
  readonly field: string | null;
  readonly details: unknown;

  constructor(code: AppErrorCode, message: string, field: string | null = null, details?: unknown) {
    super(message);
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

export const invalid = (field: string, message: string, details?: unknown) =>
  new AppError('invalid_input', message, field, details);

export const notFound = (what: string, id: number | string, field: string | null = 'id') =>
  new AppError('not_found', `${what} ${id} not found`, field);
