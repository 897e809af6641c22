// One place that turns @grpc/grpc-js errors into GatewayError, reading the google.rpc.Status
// details the gateway sends in `grpc-status-details-bin`.
import * as grpc from '@grpc/grpc-js';

import { rpcTypes } from './proto.js';

const CODE_NAMES = Object.fromEntries(Object.entries(grpc.status).map(([name, value]) => [value, name]));

/**
 * A failed gateway call. `code` is the numeric gRPC status (compare with `grpc.status.NOT_FOUND`),
 * `reason` the ErrorInfo reason (`NoSuchObject`, `InvalidStateSetting`, ...) or '' when absent,
 * `metadata` the ErrorInfo metadata (project, instance_id, upstream_request_id where known).
 */
export class GatewayError extends Error {
  constructor(message, { code, reason = '', domain = '', metadata = {}, retryDelayMs, fieldViolations = [], cause }) {
    super(message, { cause });
    this.name = 'GatewayError';
    this.code = code;
    this.codeName = CODE_NAMES[code] ?? String(code);
    this.reason = reason;
    this.domain = domain;
    this.metadata = metadata;
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

/** Wraps a grpc-js error as a GatewayError (other errors are returned unchanged). */
export function toGatewayError(err) {
  if (err instanceof GatewayError || typeof err?.code !== 'number') return err;
  const details = decodeDetails(err);
  const codeName = CODE_NAMES[err.code] ?? String(err.code);
  const message = err.details || err.message;
  const suffix = details.reason ? ` (${details.reason})` : '';
  return new GatewayError(`${codeName}${suffix}: ${message}`, { code: err.code, ...details, cause: err });
}

/** The ErrorInfo reason of an error from this client or from grpc-js, or ''. */
export function errorReason(err) {
  if (err instanceof GatewayError) return err.reason;
  return decodeDetails(err).reason ?? '';
}
