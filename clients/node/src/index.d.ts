// Type definitions for the mcgateway Node.js client. Message types are generated from proto/ by
// proto-loader-gen-types (see generate.sh) into ../gen; fields are snake_case, 64-bit integers
// strings and enums their value names, as the client's loader options produce them.
import type * as grpc from '@grpc/grpc-js';

import type { InstanceServiceClient } from '../gen/maxcompute/gateway/v1/InstanceService.js';
import type { Instance__Output } from '../gen/maxcompute/gateway/v1/Instance.js';
import type { ListInstancesRequest } from '../gen/maxcompute/gateway/v1/ListInstancesRequest.js';
import type { WatchInstanceResponse__Output } from '../gen/maxcompute/gateway/v1/WatchInstanceResponse.js';
import type { ProtoGrpcType } from '../gen/instance_service.js';

export type Instance = Instance__Output;
export type WatchEvent = WatchInstanceResponse__Output;
export type { InstanceServiceClient, ListInstancesRequest };

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
  /** SQL settings, for example `{'odps.sql.mapper.split.size': '16'}`. */
  hints?: Record<string, string>;
  /** 0 (highest) to 9. */
  priority?: number;
  /** A client-chosen id that makes the submission idempotent. */
  requestId?: string;
}

export interface WatchOptions {
  project?: string;
  /** Only status and task status changes, no stage progress. */
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
  listInstances(request?: ListInstancesRequest, options?: CallOptions): AsyncGenerator<Instance, void, undefined>;
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

export declare class GatewayError extends Error {
  /** Numeric gRPC status code (compare with `status.NOT_FOUND`). */
  readonly code: grpc.status;
  /** The code's name, for example `NOT_FOUND`. */
  readonly codeName: string;
  /** ErrorInfo reason (`NoSuchObject`, `InvalidStateSetting`, ...) or ''. */
  readonly reason: string;
  readonly domain: string;
  /** ErrorInfo metadata: project, instance_id, upstream_request_id where known. */
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

export declare function errorReason(err: unknown): string;
export declare function decodeDetails(err: unknown): ErrorDetails;
export declare const PROTO_DIR: string;
export declare const SERVICE_CONFIG_PATH: string;
export declare function loadGrpcPackage(): ProtoGrpcType;
export declare function loadServiceConfig(): string;
export { status } from '@grpc/grpc-js';
