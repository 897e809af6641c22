// One place that turns @grpc/grpc-js errors into GatewayError, reading the google.rpc.Status
// details the gateway sends in `grpc-status-details-bin`.
import * as grpc from '@grpc/grpc-js';

import { rpcTypes } from './proto.js';

const CODE_NAMES = Object.fromEntries(Object.entries(grpc.status).map(([name, value]) => [value, name]));

/** The ErrorInfo domain of the gateway's errors; its reasons are only meaningful within it. */
export const ERROR_DOMAIN = 'mcgateway.github.io';

/** The ErrorInfo metadata key that carries MaxCompute's own error code. */
export const MAXCOMPUTE_CODE_KEY = 'maxcompute_code';

/** The ErrorInfo metadata key of MaxCompute's request id of the failing upstream call. */
export const REQUEST_ID_KEY = 'upstream_request_id';

/**
 * The ErrorInfo reasons the gateway sends (docs/api-design.md, "Error reasons"), by their own
 * names. New reasons may be added: treat an unknown one by its gRPC code.
 */
export const Reason = Object.freeze(
  Object.fromEntries(
    [
      // Gateway decisions.
      'INVALID_REQUEST',
      'INVALID_PAGE_TOKEN',
      'UNAUTHENTICATED',
      'PROJECT_NOT_ALLOWED',
      'TOKEN_REVOKED',
      'TASK_NOT_FOUND',
      'NOT_XFLOW',
      'DEADLINE_EXCEEDED',
      'SHUTTING_DOWN',
      'MAX_STREAM_AGE',
      'CALLER_LIMIT',
      'GATEWAY_LIMIT',
      'GATEWAY_RATE_LIMITED',
      'INTERNAL',
      // MaxCompute's answers (its own code is in metadata `maxcompute_code`).
      'INSTANCE_NOT_FOUND',
      'PROJECT_NOT_FOUND',
      'INSTANCE_NOT_RUNNING',
      'UPSTREAM_NOT_FOUND',
      'UPSTREAM_ALREADY_EXISTS',
      'UPSTREAM_INVALID_ARGUMENT',
      'UPSTREAM_FAILED_PRECONDITION',
      'UPSTREAM_CONFLICT',
      'UPSTREAM_UNSUPPORTED',
      'UPSTREAM_CREDENTIALS_REJECTED',
      'UPSTREAM_PERMISSION_DENIED',
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_THROTTLED',
      'UPSTREAM_CANCELLED',
      'UPSTREAM_DATA_LOSS',
      'UPSTREAM_UNKNOWN',
    ].map((name) => [name, name]),
  ),
);

/**
 * A failed gateway call. `code` is the numeric gRPC status (compare with `grpc.status.NOT_FOUND`),
 * `reason` the gateway's ErrorInfo reason (`INSTANCE_NOT_FOUND`, `INSTANCE_NOT_RUNNING`, ...; see
 * `Reason`) or '' when absent or of another domain, `maxcomputeCode` MaxCompute's own error
 * code (`NoSuchObject`, ...) when MaxCompute answered or '', `requestId` MaxCompute's request id
 * of the failing upstream call or '', `gatewayRequestId` the gateway's own id of the call
 * (google.rpc.RequestInfo) or '', `metadata` the ErrorInfo metadata (maxcompute_code, project,
 * instance_id, upstream_request_id where known).
 */
export class GatewayError extends Error {
  constructor(message, { code, reason = '', domain = '', metadata = {}, retryDelayMs, fieldViolations = [], gatewayRequestId = '', cause }) {
    super(message, { cause });
    this.name = 'GatewayError';
    this.code = code;
    this.codeName = CODE_NAMES[code] ?? String(code);
    this.reason = domain === ERROR_DOMAIN ? reason : '';
    this.domain = domain;
    this.metadata = metadata;
    this.maxcomputeCode = metadata[MAXCOMPUTE_CODE_KEY] ?? '';
    this.requestId = metadata[REQUEST_ID_KEY] ?? '';
    this.gatewayRequestId = gatewayRequestId;
    this.retryDelayMs = retryDelayMs;
    this.fieldViolations = fieldViolations;
  }
}

function durationMs(d) {
  if (!d) return undefined;
  return Number(d.seconds ?? 0) * 1000 + Math.round(Number(d.nanos ?? 0) / 1e6);
}

/** Decodes the rich error details of a grpc-js ServiceError (empty object when none). */
export function decodeDetails(err) {
  const out = {};
  const raw = err?.metadata?.get?.('grpc-status-details-bin')?.[0];
  if (!raw) return out;
  const types = rpcTypes();
  let status;
  try {
    status = types.Status.decode(raw);
  } catch {
    // Undecodable details leave the status code and message, which still say what failed.
    return out;
  }
  for (const any of status.details ?? []) {
    const typeName = String(any.type_url ?? '').split('/').pop();
    try {
      if (typeName === 'google.rpc.ErrorInfo') {
        const info = types.ErrorInfo.toObject(types.ErrorInfo.decode(any.value), { defaults: true });
        out.reason = info.reason;
        out.domain = info.domain;
        out.metadata = info.metadata ?? {};
      } else if (typeName === 'google.rpc.RetryInfo') {
        const info = types.RetryInfo.toObject(types.RetryInfo.decode(any.value), { longs: String });
        out.retryDelayMs = durationMs(info.retry_delay);
      } else if (typeName === 'google.rpc.RequestInfo') {
        const info = types.RequestInfo.toObject(types.RequestInfo.decode(any.value), { defaults: true });
        out.gatewayRequestId = info.request_id;
      } else if (typeName === 'google.rpc.BadRequest') {
        const info = types.BadRequest.toObject(types.BadRequest.decode(any.value), { defaults: true });
        out.fieldViolations = info.field_violations ?? [];
      }
    } catch {
      // One bad detail does not hide the others.
    }
  }
  return out;
}

/**
 * Wraps a grpc-js error as a GatewayError (other errors are returned unchanged). Its message is
 * `CODE (REASON, MaxCompute CODE): message`, for example
 * `NOT_FOUND (INSTANCE_NOT_FOUND, MaxCompute NoSuchObject): instance not found`.
 */
export function toGatewayError(err) {
  if (err instanceof GatewayError || typeof err?.code !== 'number') return err;
  const details = decodeDetails(err);
  const codeName = CODE_NAMES[err.code] ?? String(err.code);
  const message = err.details || err.message;
  const reason = details.domain === ERROR_DOMAIN ? details.reason : '';
  const upstream = details.metadata?.[MAXCOMPUTE_CODE_KEY];
  const labels = [reason, upstream && `MaxCompute ${upstream}`].filter(Boolean);
  const suffix = labels.length ? ` (${labels.join(', ')})` : '';
  return new GatewayError(`${codeName}${suffix}: ${message}`, { code: err.code, ...details, cause: err });
}

/** The gateway's ErrorInfo reason of an error from this client or from grpc-js, or ''. */
export function errorReason(err) {
  if (err instanceof GatewayError) return err.reason;
  const { reason = '', domain } = decodeDetails(err);
  return domain === ERROR_DOMAIN ? reason : '';
}

/** MaxCompute's own error code (`NoSuchObject`, ...) of an error from this client or grpc-js, or ''. */
export function maxcomputeCode(err) {
  if (err instanceof GatewayError) return err.maxcomputeCode;
  return decodeDetails(err).metadata?.[MAXCOMPUTE_CODE_KEY] ?? '';
}
