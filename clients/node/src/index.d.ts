// Type definitions for the mcgateway Node.js client. Message types are generated from proto/ by
// proto-loader-gen-types (see generate.sh) into ../gen; fields are snake_case, 64-bit integers
// strings and enums their value names, as the client's loader options produce them.
import type * as grpc from '@grpc/grpc-js';

import type { InstanceServiceClient } from '../gen/maxcompute/gateway/v1/InstanceService.js';
import type { Instance__Output } from '../gen/maxcompute/gateway/v1/Instance.js';
import type { ListInstancesRequest } from '../gen/maxcompute/gateway/v1/ListInstancesRequest.js';
import type { SqlJob } from '../gen/maxcompute/gateway/v1/SqlJob.js';
import type { SubInstance__Output } from '../gen/maxcompute/gateway/v1/SubInstance.js';
import type { Task__Output } from '../gen/maxcompute/gateway/v1/Task.js';
import type { TaskResult__Output } from '../gen/maxcompute/gateway/v1/TaskResult.js';
import type { WatchInstanceResponse__Output } from '../gen/maxcompute/gateway/v1/WatchInstanceResponse.js';
import type { ProtoGrpcType } from '../gen/instance_service.js';

/**
 * An instance. `successful` and `priority` are proto3 `optional`: absent while the outcome is
 * unknown (a running instance, any listed instance) and when MaxCompute reported no priority.
 * Enum fields (`state`, `tasks[].state`) may carry values added in later versions, as numbers:
 * treat those as unspecified.
 */
export type Instance = Instance__Output;
export type Task = Task__Output;
export type TaskResult = TaskResult__Output;
export type SubInstance = SubInstance__Output;
export type WatchEvent = WatchInstanceResponse__Output;
export type { InstanceServiceClient, ListInstancesRequest, SqlJob };

export interface ClientOptions {
  /** Sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** Plaintext instead of TLS, for a gateway on loopback or behind a trusted proxy. */
  insecure?: boolean;
  /** PEM-encoded CA certificates to trust; default: the system's roots. */
  rootCerts?: Buffer;
  /** Service config JSON text replacing proto/'s. */
  serviceConfig?: string;
  /** A deadline for every unary call instead of the service config's per-method timeouts. */
  timeoutMs?: number;
  /** Raw @grpc/grpc-js channel options. */
  channelOptions?: grpc.ChannelOptions;
}

export interface CallOptions {
  /** Deadline of this call in milliseconds. */
  timeoutMs?: number;
  /** Cancels the call when aborted. */
  signal?: AbortSignal;
}

export interface ProjectCallOptions extends CallOptions {
  /** The project; empty means the gateway's default project. */
  project?: string;
}

export interface SubmitSqlOptions extends ProjectCallOptions {
  /** SQL settings (`SqlJob.hints`), for example `{'odps.sql.mapper.split.size': '16'}`. */
  hints?: Record<string, string>;
  /** `SqlJob.priority`, 0 (highest) to 9; unset means MaxCompute's default of 9. */
  priority?: number;
  /**
   * A UUID4 (canonical form, see `newRequestId`) that makes the submission idempotent; default:
   * a new random one per submitSql call.
   */
  requestId?: string;
}

export interface WatchOptions {
  project?: string;
  /** Only state and task state changes, no stage progress. */
  omitProgress?: boolean;
  /** Ask for HEARTBEAT events after this many idle seconds (1 to 600). */
  heartbeatSeconds?: number;
  /** Cancels the watch when aborted. */
  signal?: AbortSignal;
}

export declare class GatewayClient {
  constructor(target: string, options?: ClientOptions);
  /** The generated client, for RPCs the helpers do not cover. */
  readonly stub: InstanceServiceClient;
  readonly timeoutMs: number | undefined;
  unary<T = unknown>(method: string, request: object, options?: CallOptions): Promise<T>;
  getInstance(instanceId: string, options?: ProjectCallOptions): Promise<Instance>;
  /** Every instance the request selects, walking all pages. */
  listInstances(request?: ListInstancesRequest, options?: CallOptions): AsyncGenerator<Instance, void, undefined>;
  /** Every task of an instance, walking all pages. */
  listTasks(instanceId: string, options?: ProjectCallOptions): AsyncGenerator<Task, void, undefined>;
  /** Every task result of an instance, walking all pages. */
  listTaskResults(instanceId: string, options?: ProjectCallOptions): AsyncGenerator<TaskResult, void, undefined>;
  /** Every sub-instance of an XFlow instance, walking all pages. */
  listSubInstances(instanceId: string, options?: ProjectCallOptions): AsyncGenerator<SubInstance, void, undefined>;
  stopInstance(instanceId: string, options?: ProjectCallOptions): Promise<Instance>;
  submitSql(query: string, options?: SubmitSqlOptions): Promise<Instance>;
  watch(instanceId: string, options?: WatchOptions): AsyncGenerator<WatchEvent, void, undefined>;
  watchUntilDone(
    instanceId: string,
    options?: WatchOptions & { onEvent?: (event: WatchEvent) => void | Promise<void> },
  ): Promise<Instance>;
  close(): void;
}

export declare function connect(target: string, options?: ClientOptions): GatewayClient;

/** A new random UUID4 in canonical 36-character form, for `request_id`. */
export declare function newRequestId(): string;

/** The ErrorInfo domain of the gateway's errors: `mcgateway.github.io`. */
export declare const ERROR_DOMAIN: 'mcgateway.github.io';
/** The ErrorInfo metadata key of MaxCompute's own error code: `maxcompute_code`. */
export declare const MAXCOMPUTE_CODE_KEY: 'maxcompute_code';

/** The ErrorInfo reasons the gateway sends; new ones may be added. */
export declare const Reason: {
  readonly INVALID_REQUEST: 'INVALID_REQUEST';
  readonly INVALID_PAGE_TOKEN: 'INVALID_PAGE_TOKEN';
  readonly UNAUTHENTICATED: 'UNAUTHENTICATED';
  readonly PROJECT_NOT_ALLOWED: 'PROJECT_NOT_ALLOWED';
  readonly TOKEN_REVOKED: 'TOKEN_REVOKED';
  readonly TASK_NOT_FOUND: 'TASK_NOT_FOUND';
  readonly NOT_XFLOW: 'NOT_XFLOW';
  readonly DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED';
  readonly SHUTTING_DOWN: 'SHUTTING_DOWN';
  readonly MAX_STREAM_AGE: 'MAX_STREAM_AGE';
  readonly CALLER_LIMIT: 'CALLER_LIMIT';
  readonly GATEWAY_LIMIT: 'GATEWAY_LIMIT';
  readonly GATEWAY_RATE_LIMITED: 'GATEWAY_RATE_LIMITED';
  readonly INTERNAL: 'INTERNAL';
  readonly INSTANCE_NOT_FOUND: 'INSTANCE_NOT_FOUND';
  readonly PROJECT_NOT_FOUND: 'PROJECT_NOT_FOUND';
  readonly INSTANCE_NOT_RUNNING: 'INSTANCE_NOT_RUNNING';
  readonly UPSTREAM_NOT_FOUND: 'UPSTREAM_NOT_FOUND';
  readonly UPSTREAM_ALREADY_EXISTS: 'UPSTREAM_ALREADY_EXISTS';
  readonly UPSTREAM_INVALID_ARGUMENT: 'UPSTREAM_INVALID_ARGUMENT';
  readonly UPSTREAM_FAILED_PRECONDITION: 'UPSTREAM_FAILED_PRECONDITION';
  readonly UPSTREAM_CONFLICT: 'UPSTREAM_CONFLICT';
  readonly UPSTREAM_UNSUPPORTED: 'UPSTREAM_UNSUPPORTED';
  readonly UPSTREAM_CREDENTIALS_REJECTED: 'UPSTREAM_CREDENTIALS_REJECTED';
  readonly UPSTREAM_PERMISSION_DENIED: 'UPSTREAM_PERMISSION_DENIED';
  readonly UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE';
  readonly UPSTREAM_THROTTLED: 'UPSTREAM_THROTTLED';
  readonly UPSTREAM_CANCELLED: 'UPSTREAM_CANCELLED';
  readonly UPSTREAM_DATA_LOSS: 'UPSTREAM_DATA_LOSS';
  readonly UPSTREAM_UNKNOWN: 'UPSTREAM_UNKNOWN';
};

export declare class GatewayError extends Error {
  /** Numeric gRPC status code (compare with `status.NOT_FOUND`). */
  readonly code: grpc.status;
  /** The code's name, for example `NOT_FOUND`. */
  readonly codeName: string;
  /**
   * The gateway's ErrorInfo reason (`INSTANCE_NOT_FOUND`, `INSTANCE_NOT_RUNNING`, ...; see
   * `Reason`), or '' when there is none or its domain is not `ERROR_DOMAIN`.
   */
  readonly reason: string;
  readonly domain: string;
  /** MaxCompute's own error code (`NoSuchObject`, ...) when MaxCompute answered, or ''. */
  readonly maxcomputeCode: string;
  /** ErrorInfo metadata: maxcompute_code, project, instance_id, upstream_request_id where known. */
  readonly metadata: Record<string, string>;
  /** From RetryInfo, when MaxCompute said when to retry. */
  readonly retryDelayMs: number | undefined;
  readonly fieldViolations: { field: string; description: string }[];
}

export interface ErrorDetails {
  reason?: string;
  domain?: string;
  metadata?: Record<string, string>;
  retryDelayMs?: number;
  fieldViolations?: { field: string; description: string }[];
}

/** The gateway's ErrorInfo reason of an error from this client or from grpc-js, or ''. */
export declare function errorReason(err: unknown): string;
/** MaxCompute's own error code of an error from this client or from grpc-js, or ''. */
export declare function maxcomputeCode(err: unknown): string;
export declare function decodeDetails(err: unknown): ErrorDetails;
export declare const PROTO_DIR: string;
export declare const SERVICE_CONFIG_PATH: string;
export declare function loadGrpcPackage(): ProtoGrpcType;
export declare function loadServiceConfig(): string;
export { status } from '@grpc/grpc-js';
