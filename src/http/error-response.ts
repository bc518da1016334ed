// The one table that turns application error codes into HTTP statuses, and every error into
// the JSON shape {"error":{"code","message","field"}}.
import type { FastifyError } from 'fastify';
import { AppError, type AppErrorCode } from '../app/errors.ts';

export const STATUS_OF: Record<AppErrorCode, number> = {
  invalid_input: 422,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  unauthorized: 401,
  forbidden: 403,
  too_many_requests: 429,
  payload_too_large: 413,
  preflight_failed: 422,
};

export interface ErrorBody {
  error: { code: string; message: string; field: string | null; details?: unknown };
}

/** Fastify/ajv validation paths look like "/contacts/17/email"; we name fields "contacts[17].email". */
function fieldFromValidation(err: FastifyError): string | null {
  const v = err.validation?.[0];
  if (!v) return null;
  const parts = (v.instancePath || '').split('/').filter(Boolean);
  const params = v.params as Record<string, unknown>;
  if (typeof params.missingProperty === 'string') parts.push(params.missingProperty);
  if (typeof params.additionalProperty === 'string') parts.push(params.additionalProperty);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  const ctx = err.validationContext === 'body' ? '' : `${err.validationContext ?? ''}`;
  return out ? out : ctx || null;
}

export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message, field: err.field } };
    if (err.details !== undefined) body.error.details = err.details;
    return { status: STATUS_OF[err.code], body };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const field = fieldFromValidation(fe);
    const v = fe.validation[0];
    const params = v.params as Record<string, unknown>;
    let message = v.message ?? 'is invalid';
    if (typeof params.additionalProperty === 'string') message = 'is not a known field';
    if (typeof params.missingProperty === 'string') message = 'is required';
    // An enum's allowed values are the fix: name them ("kinds[0]: must be one of delivery_failed, …").
    if (Array.isArray(params.allowedValues)) message = `must be one of ${params.allowedValues.join(', ')}`;
    return {
      status: 400,
      body: { error: { code: 'invalid_request', message: `${field ?? fe.validationContext}: ${message}`, field } },
    };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: { error: { code: 'payload_too_large', message: fe.message, field: null } } };
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, body: { error: { code: 'unsupported_media_type', message: fe.message, field: null } } };
  }
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && fe instanceof SyntaxError)) {
    return { status: 400, body: { error: { code: 'invalid_json', message: fe.message, field: null } } };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: { code: fe.code ?? 'bad_request', message: fe.message, field: null } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error; see the server log', field: null } } };
}
