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
import type { ExecuteSqlResponse__Output } from '../gen/maxcompute/gateway/v1/ExecuteSqlResponse.js';
import type { TaskSummary__Output } from '../gen/maxcompute/gateway/v1/TaskSummary.js';
import type { QueueingInfo__Output } from '../gen/maxcompute/gateway/v1/QueueingInfo.js';
import type { ProtoGrpcType } from '../gen/instance_service.js';
import type { ResultValue__Output } from '../gen/maxcompute/gateway/v1/ResultValue.js';

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
/** An event of executeSql: a watch event plus `reattached`. */
export type ExecuteSqlEvent = ExecuteSqlResponse__Output;
/** A task's summary: `summary_text`, `json_summary`, `cost` (absent when none), `finalized`. */
export type TaskSummary = TaskSummary__Output;
/** Where an instance stands in the queue; `priority`, `position`, `progress` may be absent. */
export type QueueingInfo = QueueingInfo__Output;
export type { InstanceServiceClient, ListInstancesRequest, SqlJob };

/** When to use TLS: `'auto'` (plaintext only when the target's host is loopback), `'on'`, `'off'`. */
export type TlsMode = 'auto' | 'on' | 'off';

/**
 * Options of `connect`; each wins over its environment variable (clients/README.md).
 */
export interface ClientOptions {
  /** Sent as `authorization: Bearer <token>` on every call; default MCGW_TOKEN, `''` for none. */
  token?: string;
  /** When to use TLS; default MCGW_TLS, else `'auto'`: plaintext only on a loopback host. */
  tls?: TlsMode;
  /** `tls: 'off'`, for a gateway behind a trusted proxy; MCGW_CA_CERT is then not read. */
  insecure?: boolean;
  /** PEM-encoded CA certificates to trust (a CA means TLS); default the file MCGW_CA_CERT names, else the system's roots. */
  rootCerts?: Buffer;
  /** Where to read MCGW_TARGET, MCGW_TOKEN, MCGW_CA_CERT and MCGW_TLS; default `process.env`, `{}` for none. */
  env?: Record<string, string | undefined>;
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
  /** A deadline for the whole watch, reconnects included (DEADLINE_EXCEEDED when it passes). */
  timeoutMs?: number;
  /** Cancels the watch when aborted. */
  signal?: AbortSignal;
}

export interface ExecuteSqlOptions extends WatchOptions {
  hints?: Record<string, string>;
  /** 0 (highest) to 9. */
  priority?: number;
  quotaName?: string;
  runningCluster?: string;
  /** A UUID4 (see `newRequestId`); default a new random one per call. */
  requestId?: string;
  /**
   * The gateway stops the instance this call created when the call is cancelled (signal,
   * leaving the loop early, timeoutMs) before it terminates; not after a resume by watching.
   */
  stopOnCancel?: boolean;
}

export interface WaitOptions {
  project?: string;
  /** A deadline for the whole wait, reconnects included (DEADLINE_EXCEEDED when it passes). */
  timeoutMs?: number;
  /** Cancels the wait when aborted. */
  signal?: AbortSignal;
}

export interface ReadResultOptions {
  project?: string;
  /** The task whose result to read; default the instance's SQL task. */
  taskName?: string;
  /** The columns to read, by name and in this order; default all. */
  columns?: string[];
  /** The index of the first row to read; default 0. */
  offset?: number;
  /** The most rows to read; 0 (the default) reads to the end. */
  limit?: number;
  /** A deadline for the whole read, resumes included (DEADLINE_EXCEEDED when it passes). */
  timeoutMs?: number;
  /** Cancels the read when aborted. */
  signal?: AbortSignal;
  /** Yield each row as an array in column order instead of an object keyed by column name. */
  arrays?: boolean;
}

/**
 * A datetime or timestamp value: a Date (millisecond precision) that keeps the exact instant as
 * `seconds` and `nanos`.
 */
export declare class ResultTimestamp extends Date {
  constructor(seconds: bigint | number | string, nanos: number);
  /** Whole seconds since the Unix epoch. */
  readonly seconds: bigint;
  /** Nanoseconds within the second, 0 to 999,999,999. */
  readonly nanos: number;
  /** ISO 8601 in UTC with nine fraction digits, e.g. `2024-02-29T23:59:58.123456789Z`. */
  toPreciseISOString(): string;
  /** Nanoseconds since the Unix epoch, exact. */
  toEpochNanos(): bigint;
}

/**
 * One value of a result row: null (NULL), bigint (bigint, int, smallint, tinyint), number
 * (double, float), string (string, varchar, char; decimal as its exact text; date as
 * `YYYY-MM-DD`), Buffer (binary), boolean, ResultTimestamp (datetime, timestamp), an array
 * (array), a Map (map) or an array of the field values (struct).
 */
export type ResultCell =
  | null
  | bigint
  | number
  | string
  | Buffer
  | boolean
  | ResultTimestamp
  | ResultCell[]
  | Map<ResultCell, ResultCell>;

/** One column of a result: its name and MaxCompute type (`bigint`, `decimal(10,2)`, ...). */
export interface ResultColumnInfo {
  name: string;
  type: string;
}

/** An open ReadInstanceResult read: an async iterable of rows that resumes after UNAVAILABLE. */
export declare class ResultReader<Row = Record<string, ResultCell>> implements AsyncIterable<Row> {
  /** The columns, once open. */
  readonly schema: ResultColumnInfo[] | undefined;
  /** The rows this read yields (after offset and limit), once open. */
  readonly count: number | undefined;
  /** The rows of the whole result, once open. */
  readonly totalCount: number | undefined;
  /** Waits for the schema and counts (the first message). */
  open(): Promise<this & { schema: ResultColumnInfo[]; count: number; totalCount: number }>;
  /** Ends the read, cancelling an unfinished stream. */
  close(): void;
  [Symbol.asyncIterator](): AsyncGenerator<Row, void, undefined>;
}

/** The JavaScript value of one typed value of a ReadInstanceResult batch (see ResultCell). */
export declare function resultValue(value: ResultValue__Output | null | undefined): ResultCell;

export declare class GatewayClient {
  /** `target`: `host:port` or `[v6]:port`; empty or undefined means MCGW_TARGET, else 127.0.0.1:50051. */
  constructor(target?: string, options?: ClientOptions);
  /** The generated client, for RPCs the helpers do not cover. */
  readonly stub: InstanceServiceClient;
  /** The validated target, `host:port` or `[v6]:port`. */
  readonly target: string;
  /** Whether the client uses TLS (false: plaintext). */
  readonly usesTls: boolean;
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
  /** The result text of a task; an empty or undefined task name means the instance's first task. */
  getTaskResult(instanceId: string, taskName?: string, options?: ProjectCallOptions): Promise<string>;
  /** Resolves with the instance once it terminated (`successful` set), riding out UNAVAILABLE. */
  waitUntilDone(instanceId: string, options?: WaitOptions): Promise<Instance>;
  submitSql(query: string, options?: SubmitSqlOptions): Promise<Instance>;
  watch(instanceId: string, options?: WatchOptions): AsyncGenerator<WatchEvent, void, undefined>;
  watchUntilDone(
    instanceId: string,
    options?: WatchOptions & { onEvent?: (event: WatchEvent) => void | Promise<void> },
  ): Promise<Instance>;
  /** Submits SQL and yields its events to TERMINAL, resuming by watching the named instance. */
  executeSql(query: string, options?: ExecuteSqlOptions): AsyncGenerator<ExecuteSqlEvent, void, undefined>;
  /** A task's summary; an empty or undefined task name means the instance's first task. */
  getTaskSummary(instanceId: string, taskName?: string, options?: ProjectCallOptions): Promise<TaskSummary>;
  getQueueingInfo(instanceId: string, options?: ProjectCallOptions): Promise<QueueingInfo>;
  /** Reads an instance's result rows, typed, resuming at the next row after UNAVAILABLE. */
  readInstanceResult(instanceId: string, options: ReadResultOptions & { arrays: true }): ResultReader<ResultCell[]>;
  readInstanceResult(instanceId: string, options?: ReadResultOptions): ResultReader<Record<string, ResultCell>>;
  close(): void;
}

/** `connect()` reads the target and the rest from the environment; arguments override it. */
export declare function connect(target?: string, options?: ClientOptions): GatewayClient;
export declare function connect(options: ClientOptions): GatewayClient;

/** The target used when neither `connect` nor MCGW_TARGET gives one: `127.0.0.1:50051`. */
export declare const DEFAULT_TARGET: '127.0.0.1:50051';
/** The environment variables every mcgateway client reads. */
export declare const ENV: {
  readonly TARGET: 'MCGW_TARGET';
  readonly TOKEN: 'MCGW_TOKEN';
  readonly CA_CERT: 'MCGW_CA_CERT';
  readonly TLS: 'MCGW_TLS';
};
/** Validates `host:port` or `[v6]:port`; throws a TypeError saying what to type instead. */
export declare function parseTarget(target: string): { host: string; port: number };
/** Whether a host, as written, is loopback (`localhost`, 127.0.0.0/8, `::1`). */
export declare function isLoopback(host: string): boolean;
/** Reads `auto`, `on` or `off` (any case). */
export declare function parseTlsMode(value: string): TlsMode;

/** A new random UUID4 in canonical 36-character form, for `request_id`. */
export declare function newRequestId(): string;

/** The ErrorInfo domain of the gateway's errors: `mcgateway.github.io`. */
export declare const ERROR_DOMAIN: 'mcgateway.github.io';
/** The ErrorInfo metadata key of MaxCompute's own error code: `maxcompute_code`. */
export declare const MAXCOMPUTE_CODE_KEY: 'maxcompute_code';
/** The ErrorInfo metadata key of MaxCompute's request id: `upstream_request_id`. */
export declare const REQUEST_ID_KEY: 'upstream_request_id';

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
  /** MaxCompute's request id of the failing upstream call (for Alibaba Cloud support), or ''. */
  readonly requestId: string;
  /** The gateway's own id of the call (google.rpc.RequestInfo, for its operator), or ''. */
  readonly gatewayRequestId: string;
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
  gatewayRequestId?: string;
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
