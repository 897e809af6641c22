// Original file: maxcompute/gateway/v1/instance_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { EstimateSqlCostRequest as _maxcompute_gateway_v1_EstimateSqlCostRequest, EstimateSqlCostRequest__Output as _maxcompute_gateway_v1_EstimateSqlCostRequest__Output } from '../../../maxcompute/gateway/v1/EstimateSqlCostRequest.js';
import type { EstimateSqlCostResponse as _maxcompute_gateway_v1_EstimateSqlCostResponse, EstimateSqlCostResponse__Output as _maxcompute_gateway_v1_EstimateSqlCostResponse__Output } from '../../../maxcompute/gateway/v1/EstimateSqlCostResponse.js';
import type { ExecuteSqlRequest as _maxcompute_gateway_v1_ExecuteSqlRequest, ExecuteSqlRequest__Output as _maxcompute_gateway_v1_ExecuteSqlRequest__Output } from '../../../maxcompute/gateway/v1/ExecuteSqlRequest.js';
import type { ExecuteSqlResponse as _maxcompute_gateway_v1_ExecuteSqlResponse, ExecuteSqlResponse__Output as _maxcompute_gateway_v1_ExecuteSqlResponse__Output } from '../../../maxcompute/gateway/v1/ExecuteSqlResponse.js';
import type { GenerateLogviewAddressRequest as _maxcompute_gateway_v1_GenerateLogviewAddressRequest, GenerateLogviewAddressRequest__Output as _maxcompute_gateway_v1_GenerateLogviewAddressRequest__Output } from '../../../maxcompute/gateway/v1/GenerateLogviewAddressRequest.js';
import type { GenerateLogviewAddressResponse as _maxcompute_gateway_v1_GenerateLogviewAddressResponse, GenerateLogviewAddressResponse__Output as _maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output } from '../../../maxcompute/gateway/v1/GenerateLogviewAddressResponse.js';
import type { GetInstanceRequest as _maxcompute_gateway_v1_GetInstanceRequest, GetInstanceRequest__Output as _maxcompute_gateway_v1_GetInstanceRequest__Output } from '../../../maxcompute/gateway/v1/GetInstanceRequest.js';
import type { GetQueueingInfoRequest as _maxcompute_gateway_v1_GetQueueingInfoRequest, GetQueueingInfoRequest__Output as _maxcompute_gateway_v1_GetQueueingInfoRequest__Output } from '../../../maxcompute/gateway/v1/GetQueueingInfoRequest.js';
import type { GetTaskDetailRequest as _maxcompute_gateway_v1_GetTaskDetailRequest, GetTaskDetailRequest__Output as _maxcompute_gateway_v1_GetTaskDetailRequest__Output } from '../../../maxcompute/gateway/v1/GetTaskDetailRequest.js';
import type { GetTaskProgressRequest as _maxcompute_gateway_v1_GetTaskProgressRequest, GetTaskProgressRequest__Output as _maxcompute_gateway_v1_GetTaskProgressRequest__Output } from '../../../maxcompute/gateway/v1/GetTaskProgressRequest.js';
import type { GetTaskResultRequest as _maxcompute_gateway_v1_GetTaskResultRequest, GetTaskResultRequest__Output as _maxcompute_gateway_v1_GetTaskResultRequest__Output } from '../../../maxcompute/gateway/v1/GetTaskResultRequest.js';
import type { GetTaskSummaryRequest as _maxcompute_gateway_v1_GetTaskSummaryRequest, GetTaskSummaryRequest__Output as _maxcompute_gateway_v1_GetTaskSummaryRequest__Output } from '../../../maxcompute/gateway/v1/GetTaskSummaryRequest.js';
import type { GetWorkerLogRequest as _maxcompute_gateway_v1_GetWorkerLogRequest, GetWorkerLogRequest__Output as _maxcompute_gateway_v1_GetWorkerLogRequest__Output } from '../../../maxcompute/gateway/v1/GetWorkerLogRequest.js';
import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';
import type { InstanceExistsRequest as _maxcompute_gateway_v1_InstanceExistsRequest, InstanceExistsRequest__Output as _maxcompute_gateway_v1_InstanceExistsRequest__Output } from '../../../maxcompute/gateway/v1/InstanceExistsRequest.js';
import type { InstanceExistsResponse as _maxcompute_gateway_v1_InstanceExistsResponse, InstanceExistsResponse__Output as _maxcompute_gateway_v1_InstanceExistsResponse__Output } from '../../../maxcompute/gateway/v1/InstanceExistsResponse.js';
import type { ListInstancesRequest as _maxcompute_gateway_v1_ListInstancesRequest, ListInstancesRequest__Output as _maxcompute_gateway_v1_ListInstancesRequest__Output } from '../../../maxcompute/gateway/v1/ListInstancesRequest.js';
import type { ListInstancesResponse as _maxcompute_gateway_v1_ListInstancesResponse, ListInstancesResponse__Output as _maxcompute_gateway_v1_ListInstancesResponse__Output } from '../../../maxcompute/gateway/v1/ListInstancesResponse.js';
import type { ListQueueingInfosRequest as _maxcompute_gateway_v1_ListQueueingInfosRequest, ListQueueingInfosRequest__Output as _maxcompute_gateway_v1_ListQueueingInfosRequest__Output } from '../../../maxcompute/gateway/v1/ListQueueingInfosRequest.js';
import type { ListQueueingInfosResponse as _maxcompute_gateway_v1_ListQueueingInfosResponse, ListQueueingInfosResponse__Output as _maxcompute_gateway_v1_ListQueueingInfosResponse__Output } from '../../../maxcompute/gateway/v1/ListQueueingInfosResponse.js';
import type { ListSubInstancesRequest as _maxcompute_gateway_v1_ListSubInstancesRequest, ListSubInstancesRequest__Output as _maxcompute_gateway_v1_ListSubInstancesRequest__Output } from '../../../maxcompute/gateway/v1/ListSubInstancesRequest.js';
import type { ListSubInstancesResponse as _maxcompute_gateway_v1_ListSubInstancesResponse, ListSubInstancesResponse__Output as _maxcompute_gateway_v1_ListSubInstancesResponse__Output } from '../../../maxcompute/gateway/v1/ListSubInstancesResponse.js';
import type { ListTaskResultsRequest as _maxcompute_gateway_v1_ListTaskResultsRequest, ListTaskResultsRequest__Output as _maxcompute_gateway_v1_ListTaskResultsRequest__Output } from '../../../maxcompute/gateway/v1/ListTaskResultsRequest.js';
import type { ListTaskResultsResponse as _maxcompute_gateway_v1_ListTaskResultsResponse, ListTaskResultsResponse__Output as _maxcompute_gateway_v1_ListTaskResultsResponse__Output } from '../../../maxcompute/gateway/v1/ListTaskResultsResponse.js';
import type { ListTasksRequest as _maxcompute_gateway_v1_ListTasksRequest, ListTasksRequest__Output as _maxcompute_gateway_v1_ListTasksRequest__Output } from '../../../maxcompute/gateway/v1/ListTasksRequest.js';
import type { ListTasksResponse as _maxcompute_gateway_v1_ListTasksResponse, ListTasksResponse__Output as _maxcompute_gateway_v1_ListTasksResponse__Output } from '../../../maxcompute/gateway/v1/ListTasksResponse.js';
import type { QueueingInfo as _maxcompute_gateway_v1_QueueingInfo, QueueingInfo__Output as _maxcompute_gateway_v1_QueueingInfo__Output } from '../../../maxcompute/gateway/v1/QueueingInfo.js';
import type { ReadInstanceResultRequest as _maxcompute_gateway_v1_ReadInstanceResultRequest, ReadInstanceResultRequest__Output as _maxcompute_gateway_v1_ReadInstanceResultRequest__Output } from '../../../maxcompute/gateway/v1/ReadInstanceResultRequest.js';
import type { ReadInstanceResultResponse as _maxcompute_gateway_v1_ReadInstanceResultResponse, ReadInstanceResultResponse__Output as _maxcompute_gateway_v1_ReadInstanceResultResponse__Output } from '../../../maxcompute/gateway/v1/ReadInstanceResultResponse.js';
import type { StopInstanceRequest as _maxcompute_gateway_v1_StopInstanceRequest, StopInstanceRequest__Output as _maxcompute_gateway_v1_StopInstanceRequest__Output } from '../../../maxcompute/gateway/v1/StopInstanceRequest.js';
import type { StopInstanceResponse as _maxcompute_gateway_v1_StopInstanceResponse, StopInstanceResponse__Output as _maxcompute_gateway_v1_StopInstanceResponse__Output } from '../../../maxcompute/gateway/v1/StopInstanceResponse.js';
import type { SubmitSqlRequest as _maxcompute_gateway_v1_SubmitSqlRequest, SubmitSqlRequest__Output as _maxcompute_gateway_v1_SubmitSqlRequest__Output } from '../../../maxcompute/gateway/v1/SubmitSqlRequest.js';
import type { SubmitSqlResponse as _maxcompute_gateway_v1_SubmitSqlResponse, SubmitSqlResponse__Output as _maxcompute_gateway_v1_SubmitSqlResponse__Output } from '../../../maxcompute/gateway/v1/SubmitSqlResponse.js';
import type { SubmitXflowRequest as _maxcompute_gateway_v1_SubmitXflowRequest, SubmitXflowRequest__Output as _maxcompute_gateway_v1_SubmitXflowRequest__Output } from '../../../maxcompute/gateway/v1/SubmitXflowRequest.js';
import type { SubmitXflowResponse as _maxcompute_gateway_v1_SubmitXflowResponse, SubmitXflowResponse__Output as _maxcompute_gateway_v1_SubmitXflowResponse__Output } from '../../../maxcompute/gateway/v1/SubmitXflowResponse.js';
import type { TaskDetail as _maxcompute_gateway_v1_TaskDetail, TaskDetail__Output as _maxcompute_gateway_v1_TaskDetail__Output } from '../../../maxcompute/gateway/v1/TaskDetail.js';
import type { TaskProgress as _maxcompute_gateway_v1_TaskProgress, TaskProgress__Output as _maxcompute_gateway_v1_TaskProgress__Output } from '../../../maxcompute/gateway/v1/TaskProgress.js';
import type { TaskResult as _maxcompute_gateway_v1_TaskResult, TaskResult__Output as _maxcompute_gateway_v1_TaskResult__Output } from '../../../maxcompute/gateway/v1/TaskResult.js';
import type { TaskSummary as _maxcompute_gateway_v1_TaskSummary, TaskSummary__Output as _maxcompute_gateway_v1_TaskSummary__Output } from '../../../maxcompute/gateway/v1/TaskSummary.js';
import type { WaitInstanceRequest as _maxcompute_gateway_v1_WaitInstanceRequest, WaitInstanceRequest__Output as _maxcompute_gateway_v1_WaitInstanceRequest__Output } from '../../../maxcompute/gateway/v1/WaitInstanceRequest.js';
import type { WaitInstanceResponse as _maxcompute_gateway_v1_WaitInstanceResponse, WaitInstanceResponse__Output as _maxcompute_gateway_v1_WaitInstanceResponse__Output } from '../../../maxcompute/gateway/v1/WaitInstanceResponse.js';
import type { WatchInstanceRequest as _maxcompute_gateway_v1_WatchInstanceRequest, WatchInstanceRequest__Output as _maxcompute_gateway_v1_WatchInstanceRequest__Output } from '../../../maxcompute/gateway/v1/WatchInstanceRequest.js';
import type { WatchInstanceResponse as _maxcompute_gateway_v1_WatchInstanceResponse, WatchInstanceResponse__Output as _maxcompute_gateway_v1_WatchInstanceResponse__Output } from '../../../maxcompute/gateway/v1/WatchInstanceResponse.js';
import type { WatchInstancesRequest as _maxcompute_gateway_v1_WatchInstancesRequest, WatchInstancesRequest__Output as _maxcompute_gateway_v1_WatchInstancesRequest__Output } from '../../../maxcompute/gateway/v1/WatchInstancesRequest.js';
import type { WatchInstancesResponse as _maxcompute_gateway_v1_WatchInstancesResponse, WatchInstancesResponse__Output as _maxcompute_gateway_v1_WatchInstancesResponse__Output } from '../../../maxcompute/gateway/v1/WatchInstancesResponse.js';
import type { WorkerLog as _maxcompute_gateway_v1_WorkerLog, WorkerLog__Output as _maxcompute_gateway_v1_WorkerLog__Output } from '../../../maxcompute/gateway/v1/WorkerLog.js';

/**
 * InstanceService fronts the MaxCompute REST API for job instances. Every RPC names a project; an
 * empty `project` means the gateway's configured default project.
 * 
 * Errors use the canonical gRPC codes with a `google.rpc.ErrorInfo` detail whose domain is
 * `mcgateway.github.io` and whose reason is an UPPER_SNAKE_CASE value this API owns, for example
 * `INSTANCE_NOT_FOUND`, `INSTANCE_NOT_RUNNING`, `UPSTREAM_THROTTLED` or `INVALID_REQUEST`
 * (docs/api-design.md lists them all; clients must expect new ones). When MaxCompute answered
 * with an error, its own code (such as `NoSuchObject`) is in metadata `maxcompute_code`; metadata
 * also carries `project`, `instance_id` and `upstream_request_id` where known. INVALID_ARGUMENT
 * also carries `google.rpc.BadRequest` field violations, RESOURCE_EXHAUSTED a
 * `google.rpc.QuotaFailure` when a gateway limit refused the call, and UNAVAILABLE or
 * RESOURCE_EXHAUSTED a `google.rpc.RetryInfo` when it is known when to retry. Every RPC can
 * return UNAUTHENTICATED (missing or unknown bearer token), PERMISSION_DENIED (the token may not
 * use the project; checked before existence), UNAVAILABLE (MaxCompute unreachable or failing;
 * safe to retry for reads), DEADLINE_EXCEEDED and INTERNAL (a gateway bug; a
 * `google.rpc.RequestInfo` carries a request id that also appears in the gateway's logs).
 */
export interface InstanceServiceClient extends grpc.Client {
  /**
   * EstimateSqlCost estimates what a SQL job would cost without running it (PyODPS
   * `execute_sql_cost`): it submits the query as a `SQLCost` task
   * (`POST /projects/{project}/instances`), waits for that instance and reads its result
   * (`?result`). Each call runs one short upstream instance. Errors: INVALID_ARGUMENT for an
   * empty or oversized query or bad job options, and for a query MaxCompute cannot estimate
   * (for example a parse error: reason `UPSTREAM_INVALID_ARGUMENT`, MaxCompute's `ODPS-` code
   * in metadata `maxcompute_code`); NOT_FOUND when the query names an absent table;
   * DEADLINE_EXCEEDED when the estimate did not finish within the call's deadline (the id of
   * the estimating instance is in metadata `instance_id`).
   */
  EstimateSqlCost(argument: _maxcompute_gateway_v1_EstimateSqlCostRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_EstimateSqlCostResponse__Output>): grpc.ClientUnaryCall;
  EstimateSqlCost(argument: _maxcompute_gateway_v1_EstimateSqlCostRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_EstimateSqlCostResponse__Output>): grpc.ClientUnaryCall;
  EstimateSqlCost(argument: _maxcompute_gateway_v1_EstimateSqlCostRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_EstimateSqlCostResponse__Output>): grpc.ClientUnaryCall;
  EstimateSqlCost(argument: _maxcompute_gateway_v1_EstimateSqlCostRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_EstimateSqlCostResponse__Output>): grpc.ClientUnaryCall;
  /**
   * EstimateSqlCost estimates what a SQL job would cost without running it (PyODPS
   * `execute_sql_cost`): it submits the query as a `SQLCost` task
   * (`POST /projects/{project}/instances`), waits for that instance and reads its result
   * (`?result`). Each call runs one short upstream instance. Errors: INVALID_ARGUMENT for an
   * empty or oversized query or bad job options, and for a query MaxCompute cannot estimate
   * (for example a parse error: reason `UPSTREAM_INVALID_ARGUMENT`, MaxCompute's `ODPS-` code
   * in metadata `maxcompute_code`); NOT_FOUND when the query names an absent table;
   * DEADLINE_EXCEEDED when the estimate did not finish within the call's deadline (the id of
   * the estimating instance is in metadata `instance_id`).
   */
  estimateSqlCost(argument: _maxcompute_gateway_v1_EstimateSqlCostRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_EstimateSqlCostResponse__Output>): grpc.ClientUnaryCall;
  estimateSqlCost(argument: _maxcompute_gateway_v1_EstimateSqlCostRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_EstimateSqlCostResponse__Output>): grpc.ClientUnaryCall;
  estimateSqlCost(argument: _maxcompute_gateway_v1_EstimateSqlCostRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_EstimateSqlCostResponse__Output>): grpc.ClientUnaryCall;
  estimateSqlCost(argument: _maxcompute_gateway_v1_EstimateSqlCostRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_EstimateSqlCostResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ExecuteSql submits a SQL job like SubmitSql and streams its states like WatchInstance until
   * it terminates (PyODPS `execute_sql`, with Airflow's `cancel_on_kill` as `stop_on_cancel`).
   * Every message carries the instance; the first one (SNAPSHOT, or TERMINAL for a job that
   * ended at once) names it, so a caller whose stream breaks follows it with WatchInstance, or
   * calls ExecuteSql again with the same `request_id`, which reattaches to the same instance
   * instead of submitting another. With `stop_on_cancel`, when the caller cancels the call,
   * disconnects or lets its deadline pass before the instance terminates, the gateway stops
   * the instance (`PUT /projects/{project}/instances/{id}`), once, and only an instance this
   * very call created: a call that reattached through `request_id` never stops it, and a
   * stream the gateway ends itself (shutdown, maximum age) stops nothing. Errors:
   * INVALID_ARGUMENT as for SubmitSql, and for a heartbeat interval out of range; UNAVAILABLE as
   * for WatchInstance (reasons `SHUTTING_DOWN`, `MAX_STREAM_AGE`, `UPSTREAM_UNAVAILABLE`; then
   * follow the named instance, it keeps running).
   */
  ExecuteSql(argument: _maxcompute_gateway_v1_ExecuteSqlRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_ExecuteSqlResponse__Output>;
  ExecuteSql(argument: _maxcompute_gateway_v1_ExecuteSqlRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_ExecuteSqlResponse__Output>;
  /**
   * ExecuteSql submits a SQL job like SubmitSql and streams its states like WatchInstance until
   * it terminates (PyODPS `execute_sql`, with Airflow's `cancel_on_kill` as `stop_on_cancel`).
   * Every message carries the instance; the first one (SNAPSHOT, or TERMINAL for a job that
   * ended at once) names it, so a caller whose stream breaks follows it with WatchInstance, or
   * calls ExecuteSql again with the same `request_id`, which reattaches to the same instance
   * instead of submitting another. With `stop_on_cancel`, when the caller cancels the call,
   * disconnects or lets its deadline pass before the instance terminates, the gateway stops
   * the instance (`PUT /projects/{project}/instances/{id}`), once, and only an instance this
   * very call created: a call that reattached through `request_id` never stops it, and a
   * stream the gateway ends itself (shutdown, maximum age) stops nothing. Errors:
   * INVALID_ARGUMENT as for SubmitSql, and for a heartbeat interval out of range; UNAVAILABLE as
   * for WatchInstance (reasons `SHUTTING_DOWN`, `MAX_STREAM_AGE`, `UPSTREAM_UNAVAILABLE`; then
   * follow the named instance, it keeps running).
   */
  executeSql(argument: _maxcompute_gateway_v1_ExecuteSqlRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_ExecuteSqlResponse__Output>;
  executeSql(argument: _maxcompute_gateway_v1_ExecuteSqlRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_ExecuteSqlResponse__Output>;
  
  /**
   * GenerateLogviewAddress returns a new Logview URL for an instance (PyODPS
   * `get_logview_address`), signed with a token minted by
   * `POST /projects/{project}/authorization` that stays valid for the requested time. Each call
   * mints a new token. Errors: NOT_FOUND when absent; INVALID_ARGUMENT when `ttl` is out of range.
   */
  GenerateLogviewAddress(argument: _maxcompute_gateway_v1_GenerateLogviewAddressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  GenerateLogviewAddress(argument: _maxcompute_gateway_v1_GenerateLogviewAddressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  GenerateLogviewAddress(argument: _maxcompute_gateway_v1_GenerateLogviewAddressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  GenerateLogviewAddress(argument: _maxcompute_gateway_v1_GenerateLogviewAddressRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GenerateLogviewAddress returns a new Logview URL for an instance (PyODPS
   * `get_logview_address`), signed with a token minted by
   * `POST /projects/{project}/authorization` that stays valid for the requested time. Each call
   * mints a new token. Errors: NOT_FOUND when absent; INVALID_ARGUMENT when `ttl` is out of range.
   */
  generateLogviewAddress(argument: _maxcompute_gateway_v1_GenerateLogviewAddressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  generateLogviewAddress(argument: _maxcompute_gateway_v1_GenerateLogviewAddressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  generateLogviewAddress(argument: _maxcompute_gateway_v1_GenerateLogviewAddressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  generateLogviewAddress(argument: _maxcompute_gateway_v1_GenerateLogviewAddressRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetInstance returns one instance with its tasks (PyODPS `get_instance` followed by `status`
   * and `get_task_statuses`): `GET /projects/{project}/instances/{id}` and `?taskstatus`. Reads of
   * terminated instances are served from the gateway's cache; while the gateway follows the
   * instance for a watcher, the answer may come from that watch: its state is current, its tasks
   * at most `hub_read_max_age` (default 5 s) old. Errors: NOT_FOUND (reason
   * `INSTANCE_NOT_FOUND`) when the instance does not exist.
   */
  GetInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_Instance__Output>): grpc.ClientUnaryCall;
  GetInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_Instance__Output>): grpc.ClientUnaryCall;
  GetInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_Instance__Output>): grpc.ClientUnaryCall;
  GetInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_Instance__Output>): grpc.ClientUnaryCall;
  /**
   * GetInstance returns one instance with its tasks (PyODPS `get_instance` followed by `status`
   * and `get_task_statuses`): `GET /projects/{project}/instances/{id}` and `?taskstatus`. Reads of
   * terminated instances are served from the gateway's cache; while the gateway follows the
   * instance for a watcher, the answer may come from that watch: its state is current, its tasks
   * at most `hub_read_max_age` (default 5 s) old. Errors: NOT_FOUND (reason
   * `INSTANCE_NOT_FOUND`) when the instance does not exist.
   */
  getInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_Instance__Output>): grpc.ClientUnaryCall;
  getInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_Instance__Output>): grpc.ClientUnaryCall;
  getInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_Instance__Output>): grpc.ClientUnaryCall;
  getInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_Instance__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetQueueingInfo returns where an instance stands in MaxCompute's job queue: its priority,
   * its position while it waits for a slot, its state and progress (PyODPS
   * `get_queueing_info`): `GET /projects/{project}/instances/{id}?cached`. Errors: NOT_FOUND
   * (reason `INSTANCE_NOT_FOUND`) when the instance is absent; INVALID_ARGUMENT for a malformed
   * instance id.
   */
  GetQueueingInfo(argument: _maxcompute_gateway_v1_GetQueueingInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_QueueingInfo__Output>): grpc.ClientUnaryCall;
  GetQueueingInfo(argument: _maxcompute_gateway_v1_GetQueueingInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_QueueingInfo__Output>): grpc.ClientUnaryCall;
  GetQueueingInfo(argument: _maxcompute_gateway_v1_GetQueueingInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_QueueingInfo__Output>): grpc.ClientUnaryCall;
  GetQueueingInfo(argument: _maxcompute_gateway_v1_GetQueueingInfoRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_QueueingInfo__Output>): grpc.ClientUnaryCall;
  /**
   * GetQueueingInfo returns where an instance stands in MaxCompute's job queue: its priority,
   * its position while it waits for a slot, its state and progress (PyODPS
   * `get_queueing_info`): `GET /projects/{project}/instances/{id}?cached`. Errors: NOT_FOUND
   * (reason `INSTANCE_NOT_FOUND`) when the instance is absent; INVALID_ARGUMENT for a malformed
   * instance id.
   */
  getQueueingInfo(argument: _maxcompute_gateway_v1_GetQueueingInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_QueueingInfo__Output>): grpc.ClientUnaryCall;
  getQueueingInfo(argument: _maxcompute_gateway_v1_GetQueueingInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_QueueingInfo__Output>): grpc.ClientUnaryCall;
  getQueueingInfo(argument: _maxcompute_gateway_v1_GetQueueingInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_QueueingInfo__Output>): grpc.ClientUnaryCall;
  getQueueingInfo(argument: _maxcompute_gateway_v1_GetQueueingInfoRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_QueueingInfo__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetTaskDetail returns the execution detail of one task and its workers with their log ids
   * (PyODPS `get_task_detail`, `get_task_detail2` and `get_task_workers`):
   * `GET /projects/{project}/instances/{id}?instancedetail&taskname={task}` and
   * `?detail&taskname={task}`. Errors: NOT_FOUND when the instance (reason
   * `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent; INVALID_ARGUMENT for
   * a malformed instance id or task name.
   */
  GetTaskDetail(argument: _maxcompute_gateway_v1_GetTaskDetailRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  GetTaskDetail(argument: _maxcompute_gateway_v1_GetTaskDetailRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  GetTaskDetail(argument: _maxcompute_gateway_v1_GetTaskDetailRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  GetTaskDetail(argument: _maxcompute_gateway_v1_GetTaskDetailRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  /**
   * GetTaskDetail returns the execution detail of one task and its workers with their log ids
   * (PyODPS `get_task_detail`, `get_task_detail2` and `get_task_workers`):
   * `GET /projects/{project}/instances/{id}?instancedetail&taskname={task}` and
   * `?detail&taskname={task}`. Errors: NOT_FOUND when the instance (reason
   * `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent; INVALID_ARGUMENT for
   * a malformed instance id or task name.
   */
  getTaskDetail(argument: _maxcompute_gateway_v1_GetTaskDetailRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  getTaskDetail(argument: _maxcompute_gateway_v1_GetTaskDetailRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  getTaskDetail(argument: _maxcompute_gateway_v1_GetTaskDetailRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  getTaskDetail(argument: _maxcompute_gateway_v1_GetTaskDetailRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetTaskProgress returns the stage progress of one task (PyODPS `get_task_progress`):
   * `GET /projects/{project}/instances/{id}?instanceprogress={task}&taskname={task}`, or, while
   * the gateway follows the instance for a watcher, that watch's progress (at most
   * `hub_read_max_age`, default 5 s, old). Errors: NOT_FOUND when the instance is absent.
   */
  GetTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskProgress__Output>): grpc.ClientUnaryCall;
  GetTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskProgress__Output>): grpc.ClientUnaryCall;
  GetTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskProgress__Output>): grpc.ClientUnaryCall;
  GetTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskProgress__Output>): grpc.ClientUnaryCall;
  /**
   * GetTaskProgress returns the stage progress of one task (PyODPS `get_task_progress`):
   * `GET /projects/{project}/instances/{id}?instanceprogress={task}&taskname={task}`, or, while
   * the gateway follows the instance for a watcher, that watch's progress (at most
   * `hub_read_max_age`, default 5 s, old). Errors: NOT_FOUND when the instance is absent.
   */
  getTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskProgress__Output>): grpc.ClientUnaryCall;
  getTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskProgress__Output>): grpc.ClientUnaryCall;
  getTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskProgress__Output>): grpc.ClientUnaryCall;
  getTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskProgress__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetTaskResult returns the result of one task (PyODPS `get_task_result`):
   * `GET /projects/{project}/instances/{id}?result`. Errors: NOT_FOUND when the instance (reason
   * `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent.
   */
  GetTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskResult__Output>): grpc.ClientUnaryCall;
  GetTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskResult__Output>): grpc.ClientUnaryCall;
  GetTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskResult__Output>): grpc.ClientUnaryCall;
  GetTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskResult__Output>): grpc.ClientUnaryCall;
  /**
   * GetTaskResult returns the result of one task (PyODPS `get_task_result`):
   * `GET /projects/{project}/instances/{id}?result`. Errors: NOT_FOUND when the instance (reason
   * `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent.
   */
  getTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskResult__Output>): grpc.ClientUnaryCall;
  getTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskResult__Output>): grpc.ClientUnaryCall;
  getTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskResult__Output>): grpc.ClientUnaryCall;
  getTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskResult__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetTaskSummary returns the summary of one task with what it cost so far (PyODPS
   * `get_task_summary` and `get_task_cost`):
   * `GET /projects/{project}/instances/{id}?instancesummary&taskname={task}`. Summaries of
   * terminated instances are served from the gateway's cache. Errors: NOT_FOUND when the
   * instance (reason `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent;
   * INVALID_ARGUMENT for a malformed instance id or task name.
   */
  GetTaskSummary(argument: _maxcompute_gateway_v1_GetTaskSummaryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskSummary__Output>): grpc.ClientUnaryCall;
  GetTaskSummary(argument: _maxcompute_gateway_v1_GetTaskSummaryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskSummary__Output>): grpc.ClientUnaryCall;
  GetTaskSummary(argument: _maxcompute_gateway_v1_GetTaskSummaryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskSummary__Output>): grpc.ClientUnaryCall;
  GetTaskSummary(argument: _maxcompute_gateway_v1_GetTaskSummaryRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskSummary__Output>): grpc.ClientUnaryCall;
  /**
   * GetTaskSummary returns the summary of one task with what it cost so far (PyODPS
   * `get_task_summary` and `get_task_cost`):
   * `GET /projects/{project}/instances/{id}?instancesummary&taskname={task}`. Summaries of
   * terminated instances are served from the gateway's cache. Errors: NOT_FOUND when the
   * instance (reason `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent;
   * INVALID_ARGUMENT for a malformed instance id or task name.
   */
  getTaskSummary(argument: _maxcompute_gateway_v1_GetTaskSummaryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskSummary__Output>): grpc.ClientUnaryCall;
  getTaskSummary(argument: _maxcompute_gateway_v1_GetTaskSummaryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskSummary__Output>): grpc.ClientUnaryCall;
  getTaskSummary(argument: _maxcompute_gateway_v1_GetTaskSummaryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskSummary__Output>): grpc.ClientUnaryCall;
  getTaskSummary(argument: _maxcompute_gateway_v1_GetTaskSummaryRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_TaskSummary__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetWorkerLog returns one log of one worker, or its last `max_size_bytes` (PyODPS
   * `get_worker_log`): `GET /projects/{project}/instances/{id}?log&id={log_id}&logtype={type}`.
   * The log id must be one that GetTaskDetail lists for a worker of the same instance; the
   * gateway checks that before it reads the log. Errors: NOT_FOUND when the instance is absent
   * (reason `INSTANCE_NOT_FOUND`) or has no worker with this log id (reason
   * `WORKER_LOG_NOT_FOUND`, also for a log id of another instance); INVALID_ARGUMENT for an
   * empty or malformed log id, an unknown log type, or a size that is negative or above the
   * gateway's bound of 2 MiB.
   */
  GetWorkerLog(argument: _maxcompute_gateway_v1_GetWorkerLogRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_WorkerLog__Output>): grpc.ClientUnaryCall;
  GetWorkerLog(argument: _maxcompute_gateway_v1_GetWorkerLogRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_WorkerLog__Output>): grpc.ClientUnaryCall;
  GetWorkerLog(argument: _maxcompute_gateway_v1_GetWorkerLogRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_WorkerLog__Output>): grpc.ClientUnaryCall;
  GetWorkerLog(argument: _maxcompute_gateway_v1_GetWorkerLogRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_WorkerLog__Output>): grpc.ClientUnaryCall;
  /**
   * GetWorkerLog returns one log of one worker, or its last `max_size_bytes` (PyODPS
   * `get_worker_log`): `GET /projects/{project}/instances/{id}?log&id={log_id}&logtype={type}`.
   * The log id must be one that GetTaskDetail lists for a worker of the same instance; the
   * gateway checks that before it reads the log. Errors: NOT_FOUND when the instance is absent
   * (reason `INSTANCE_NOT_FOUND`) or has no worker with this log id (reason
   * `WORKER_LOG_NOT_FOUND`, also for a log id of another instance); INVALID_ARGUMENT for an
   * empty or malformed log id, an unknown log type, or a size that is negative or above the
   * gateway's bound of 2 MiB.
   */
  getWorkerLog(argument: _maxcompute_gateway_v1_GetWorkerLogRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_WorkerLog__Output>): grpc.ClientUnaryCall;
  getWorkerLog(argument: _maxcompute_gateway_v1_GetWorkerLogRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_WorkerLog__Output>): grpc.ClientUnaryCall;
  getWorkerLog(argument: _maxcompute_gateway_v1_GetWorkerLogRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_WorkerLog__Output>): grpc.ClientUnaryCall;
  getWorkerLog(argument: _maxcompute_gateway_v1_GetWorkerLogRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_WorkerLog__Output>): grpc.ClientUnaryCall;
  
  /**
   * InstanceExists tells whether an instance exists (PyODPS `exist_instance`): a plain
   * `GET /projects/{project}/instances/{id}`, where MaxCompute's `NoSuchObject` becomes
   * `exists = false` rather than an error.
   */
  InstanceExists(argument: _maxcompute_gateway_v1_InstanceExistsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_InstanceExistsResponse__Output>): grpc.ClientUnaryCall;
  InstanceExists(argument: _maxcompute_gateway_v1_InstanceExistsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_InstanceExistsResponse__Output>): grpc.ClientUnaryCall;
  InstanceExists(argument: _maxcompute_gateway_v1_InstanceExistsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_InstanceExistsResponse__Output>): grpc.ClientUnaryCall;
  InstanceExists(argument: _maxcompute_gateway_v1_InstanceExistsRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_InstanceExistsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * InstanceExists tells whether an instance exists (PyODPS `exist_instance`): a plain
   * `GET /projects/{project}/instances/{id}`, where MaxCompute's `NoSuchObject` becomes
   * `exists = false` rather than an error.
   */
  instanceExists(argument: _maxcompute_gateway_v1_InstanceExistsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_InstanceExistsResponse__Output>): grpc.ClientUnaryCall;
  instanceExists(argument: _maxcompute_gateway_v1_InstanceExistsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_InstanceExistsResponse__Output>): grpc.ClientUnaryCall;
  instanceExists(argument: _maxcompute_gateway_v1_InstanceExistsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_InstanceExistsResponse__Output>): grpc.ClientUnaryCall;
  instanceExists(argument: _maxcompute_gateway_v1_InstanceExistsRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_InstanceExistsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListInstances lists the instances of a project in MaxCompute's order, one page at a time (PyODPS
   * `list_instances`): `GET /projects/{project}/instances`, with MaxCompute's `marker`/`maxitems`
   * paging behind an opaque page token. Errors: INVALID_ARGUMENT for a negative page size, a
   * malformed or mismatched page token, or `max_start_time` before `min_start_time`.
   */
  ListInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListInstances lists the instances of a project in MaxCompute's order, one page at a time (PyODPS
   * `list_instances`): `GET /projects/{project}/instances`, with MaxCompute's `marker`/`maxitems`
   * paging behind an opaque page token. Errors: INVALID_ARGUMENT for a negative page size, a
   * malformed or mismatched page token, or `max_start_time` before `min_start_time`.
   */
  listInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListQueueingInfos lists a project's job queue, one page at a time, in MaxCompute's order
   * (PyODPS `list_instance_queueing_infos`): `GET /projects/{project}/cachedinstances`, with
   * MaxCompute's `marker`/`maxitems` paging behind an opaque page token. Errors:
   * INVALID_ARGUMENT for a negative page size, a malformed or mismatched page token, or a
   * malformed quota index.
   */
  ListQueueingInfos(argument: _maxcompute_gateway_v1_ListQueueingInfosRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListQueueingInfosResponse__Output>): grpc.ClientUnaryCall;
  ListQueueingInfos(argument: _maxcompute_gateway_v1_ListQueueingInfosRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListQueueingInfosResponse__Output>): grpc.ClientUnaryCall;
  ListQueueingInfos(argument: _maxcompute_gateway_v1_ListQueueingInfosRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListQueueingInfosResponse__Output>): grpc.ClientUnaryCall;
  ListQueueingInfos(argument: _maxcompute_gateway_v1_ListQueueingInfosRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListQueueingInfosResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListQueueingInfos lists a project's job queue, one page at a time, in MaxCompute's order
   * (PyODPS `list_instance_queueing_infos`): `GET /projects/{project}/cachedinstances`, with
   * MaxCompute's `marker`/`maxitems` paging behind an opaque page token. Errors:
   * INVALID_ARGUMENT for a negative page size, a malformed or mismatched page token, or a
   * malformed quota index.
   */
  listQueueingInfos(argument: _maxcompute_gateway_v1_ListQueueingInfosRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListQueueingInfosResponse__Output>): grpc.ClientUnaryCall;
  listQueueingInfos(argument: _maxcompute_gateway_v1_ListQueueingInfosRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListQueueingInfosResponse__Output>): grpc.ClientUnaryCall;
  listQueueingInfos(argument: _maxcompute_gateway_v1_ListQueueingInfosRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListQueueingInfosResponse__Output>): grpc.ClientUnaryCall;
  listQueueingInfos(argument: _maxcompute_gateway_v1_ListQueueingInfosRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListQueueingInfosResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListSubInstances lists the sub-instances of an XFlow (PAI) instance with a Logview URL for
   * each, one page at a time (PyODPS `get_xflow_sub_instances`):
   * `GET /projects/{project}/instances/{id}?xresult`. Errors: NOT_FOUND when absent;
   * FAILED_PRECONDITION (reason `NOT_XFLOW`) when the instance is not an XFlow instance;
   * INVALID_ARGUMENT for a bad page size or token.
   */
  ListSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListSubInstances lists the sub-instances of an XFlow (PAI) instance with a Logview URL for
   * each, one page at a time (PyODPS `get_xflow_sub_instances`):
   * `GET /projects/{project}/instances/{id}?xresult`. Errors: NOT_FOUND when absent;
   * FAILED_PRECONDITION (reason `NOT_XFLOW`) when the instance is not an XFlow instance;
   * INVALID_ARGUMENT for a bad page size or token.
   */
  listSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  listSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  listSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  listSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListTaskResults lists the results of the instance's tasks in task order, one page at a time
   * (PyODPS `get_task_results`): `GET /projects/{project}/instances/{id}?result`. Errors:
   * NOT_FOUND when absent; INVALID_ARGUMENT for a bad page size or token.
   */
  ListTaskResults(argument: _maxcompute_gateway_v1_ListTaskResultsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  ListTaskResults(argument: _maxcompute_gateway_v1_ListTaskResultsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  ListTaskResults(argument: _maxcompute_gateway_v1_ListTaskResultsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  ListTaskResults(argument: _maxcompute_gateway_v1_ListTaskResultsRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListTaskResults lists the results of the instance's tasks in task order, one page at a time
   * (PyODPS `get_task_results`): `GET /projects/{project}/instances/{id}?result`. Errors:
   * NOT_FOUND when absent; INVALID_ARGUMENT for a bad page size or token.
   */
  listTaskResults(argument: _maxcompute_gateway_v1_ListTaskResultsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  listTaskResults(argument: _maxcompute_gateway_v1_ListTaskResultsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  listTaskResults(argument: _maxcompute_gateway_v1_ListTaskResultsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  listTaskResults(argument: _maxcompute_gateway_v1_ListTaskResultsRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListTasks lists the tasks of an instance with their states, one page at a time (PyODPS
   * `get_task_names` and `get_task_statuses`): `GET /projects/{project}/instances/{id}?taskstatus`,
   * or, while the gateway follows the instance for a watcher, that watch's task states (at most
   * `hub_read_max_age`, default 5 s, old). Errors: NOT_FOUND when the instance is absent;
   * INVALID_ARGUMENT for a bad page size or token.
   */
  ListTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListTasks lists the tasks of an instance with their states, one page at a time (PyODPS
   * `get_task_names` and `get_task_statuses`): `GET /projects/{project}/instances/{id}?taskstatus`,
   * or, while the gateway follows the instance for a watcher, that watch's task states (at most
   * `hub_read_max_age`, default 5 s, old). Errors: NOT_FOUND when the instance is absent;
   * INVALID_ARGUMENT for a bad page size or token.
   */
  listTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ReadInstanceResult streams the rows of a SELECT's result through MaxCompute's instance
   * tunnel, typed and without the 10,000-row cap of GetTaskResult (PyODPS
   * `open_reader(tunnel=True)`): `GET /projects/{project}/tunnel?service` to find the tunnel,
   * `POST /projects/{project}/instances/{id}?downloads` for a download session and its row
   * count, then ranged reads (`?data&downloadid=…&rowrange=(start,count)&columns=…&arrow`). Like
   * BigQuery Storage `ReadRows`, the first message carries the schema and the total row count
   * and no rows; every later message carries one batch of rows, bounded in bytes, with the
   * offset of its first row. A client whose stream breaks calls again with `offset` set to the
   * last batch's `row_offset + row_count` (and `limit` reduced by the rows it has) and loses or
   * repeats no row. The gateway reads ahead by at most a few batches, so a slow reader holds
   * back the upstream reads instead of filling the gateway's memory. Errors: NOT_FOUND when
   * the instance (reason `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent;
   * INVALID_ARGUMENT for a negative offset or limit, an unknown or repeated column, or an
   * unknown format; FAILED_PRECONDITION when the instance has not terminated (reason
   * `INSTANCE_NOT_TERMINATED`), when its task failed (reason `TASK_FAILED`, with the task's
   * error in the message) or when the task produced no table to read, for example a DDL
   * statement or a non-SQL task (reason `RESULT_NOT_TABULAR`).
   * (-- api-linter: core::0131::synonyms=disabled
   * aip.dev/not-precedent: a streaming read of rows, named like BigQuery Storage's
   * ReadRows; it is not a Get of a resource. --)
   */
  ReadInstanceResult(argument: _maxcompute_gateway_v1_ReadInstanceResultRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_ReadInstanceResultResponse__Output>;
  ReadInstanceResult(argument: _maxcompute_gateway_v1_ReadInstanceResultRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_ReadInstanceResultResponse__Output>;
  /**
   * ReadInstanceResult streams the rows of a SELECT's result through MaxCompute's instance
   * tunnel, typed and without the 10,000-row cap of GetTaskResult (PyODPS
   * `open_reader(tunnel=True)`): `GET /projects/{project}/tunnel?service` to find the tunnel,
   * `POST /projects/{project}/instances/{id}?downloads` for a download session and its row
   * count, then ranged reads (`?data&downloadid=…&rowrange=(start,count)&columns=…&arrow`). Like
   * BigQuery Storage `ReadRows`, the first message carries the schema and the total row count
   * and no rows; every later message carries one batch of rows, bounded in bytes, with the
   * offset of its first row. A client whose stream breaks calls again with `offset` set to the
   * last batch's `row_offset + row_count` (and `limit` reduced by the rows it has) and loses or
   * repeats no row. The gateway reads ahead by at most a few batches, so a slow reader holds
   * back the upstream reads instead of filling the gateway's memory. Errors: NOT_FOUND when
   * the instance (reason `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent;
   * INVALID_ARGUMENT for a negative offset or limit, an unknown or repeated column, or an
   * unknown format; FAILED_PRECONDITION when the instance has not terminated (reason
   * `INSTANCE_NOT_TERMINATED`), when its task failed (reason `TASK_FAILED`, with the task's
   * error in the message) or when the task produced no table to read, for example a DDL
   * statement or a non-SQL task (reason `RESULT_NOT_TABULAR`).
   * (-- api-linter: core::0131::synonyms=disabled
   * aip.dev/not-precedent: a streaming read of rows, named like BigQuery Storage's
   * ReadRows; it is not a Get of a resource. --)
   */
  readInstanceResult(argument: _maxcompute_gateway_v1_ReadInstanceResultRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_ReadInstanceResultResponse__Output>;
  readInstanceResult(argument: _maxcompute_gateway_v1_ReadInstanceResultRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_ReadInstanceResultResponse__Output>;
  
  /**
   * StopInstance stops a running instance (PyODPS `stop_instance`): `PUT
   * /projects/{project}/instances/{id}` with the status `Terminated`. Stopping is
   * asynchronous in MaxCompute; the returned instance is the latest state read after the stop
   * request and may still be running. Errors: NOT_FOUND when absent; FAILED_PRECONDITION (reason
   * `INSTANCE_NOT_RUNNING`) when the instance is not running, because MaxCompute only stops
   * running instances.
   */
  StopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  StopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  StopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  StopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * StopInstance stops a running instance (PyODPS `stop_instance`): `PUT
   * /projects/{project}/instances/{id}` with the status `Terminated`. Stopping is
   * asynchronous in MaxCompute; the returned instance is the latest state read after the stop
   * request and may still be running. Errors: NOT_FOUND when absent; FAILED_PRECONDITION (reason
   * `INSTANCE_NOT_RUNNING`) when the instance is not running, because MaxCompute only stops
   * running instances.
   */
  stopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  stopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  stopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  stopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * SubmitSql submits a SQL job as a new instance with one `AnonymousSQLTask` (PyODPS `run_sql`):
   * `POST /projects/{project}/instances`. It returns as soon as MaxCompute accepted the job; use
   * WaitInstance or WatchInstance to follow it. A retried call with the same `request_id` returns
   * the instance the first call created instead of a duplicate. Errors: INVALID_ARGUMENT for an
   * empty or oversized query, bad hints, a priority out of range or a malformed request id.
   */
  SubmitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  SubmitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  SubmitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  SubmitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  /**
   * SubmitSql submits a SQL job as a new instance with one `AnonymousSQLTask` (PyODPS `run_sql`):
   * `POST /projects/{project}/instances`. It returns as soon as MaxCompute accepted the job; use
   * WaitInstance or WatchInstance to follow it. A retried call with the same `request_id` returns
   * the instance the first call created instead of a duplicate. Errors: INVALID_ARGUMENT for an
   * empty or oversized query, bad hints, a priority out of range or a malformed request id.
   */
  submitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  submitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  submitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  submitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * SubmitXflow submits an XFlow (PAI algorithm) job as a new instance (PyODPS `run_xflow`):
   * `POST /projects/{project}/instances` with an `<XflowInstance>` job. Errors: INVALID_ARGUMENT
   * for a missing XFlow name, bad parameters or a malformed request id.
   */
  SubmitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  SubmitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  SubmitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  SubmitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  /**
   * SubmitXflow submits an XFlow (PAI algorithm) job as a new instance (PyODPS `run_xflow`):
   * `POST /projects/{project}/instances` with an `<XflowInstance>` job. Errors: INVALID_ARGUMENT
   * for a missing XFlow name, bad parameters or a malformed request id.
   */
  submitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  submitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  submitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  submitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * WaitInstance waits until the instance terminates or min(request timeout, call deadline, the
   * server's cap of about 30 seconds) passes, then returns the latest state (like
   * google.longrunning WaitOperation). A response with a running instance is normal: call again.
   * It shares the gateway's one upstream poller per instance. Errors: NOT_FOUND when absent;
   * INVALID_ARGUMENT for a negative timeout; UNAVAILABLE (reason `UPSTREAM_UNAVAILABLE`) when
   * no state of the instance could be read from MaxCompute in time.
   */
  WaitInstance(argument: _maxcompute_gateway_v1_WaitInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  WaitInstance(argument: _maxcompute_gateway_v1_WaitInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  WaitInstance(argument: _maxcompute_gateway_v1_WaitInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  WaitInstance(argument: _maxcompute_gateway_v1_WaitInstanceRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * WaitInstance waits until the instance terminates or min(request timeout, call deadline, the
   * server's cap of about 30 seconds) passes, then returns the latest state (like
   * google.longrunning WaitOperation). A response with a running instance is normal: call again.
   * It shares the gateway's one upstream poller per instance. Errors: NOT_FOUND when absent;
   * INVALID_ARGUMENT for a negative timeout; UNAVAILABLE (reason `UPSTREAM_UNAVAILABLE`) when
   * no state of the instance could be read from MaxCompute in time.
   */
  waitInstance(argument: _maxcompute_gateway_v1_WaitInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  waitInstance(argument: _maxcompute_gateway_v1_WaitInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  waitInstance(argument: _maxcompute_gateway_v1_WaitInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  waitInstance(argument: _maxcompute_gateway_v1_WaitInstanceRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * WatchInstance streams the state of one instance until it terminates. The first message is a
   * full snapshot (event type SNAPSHOT); then one message per state, task state or progress
   * change (and heartbeats when asked); the last message has event type TERMINAL and the final
   * state, after which the stream ends with OK. For an instance that has already terminated the
   * TERMINAL message is the snapshot and the only message. A reconnecting client gets a new
   * snapshot, so it never misses the terminal state. All watchers of one instance share one
   * upstream poller. Errors: NOT_FOUND when absent; UNAVAILABLE when the gateway shuts down
   * (reason `SHUTTING_DOWN`), the stream reaches its maximum age (reason `MAX_STREAM_AGE`;
   * reconnect), or MaxCompute gave no first state within the gateway's snapshot timeout (reason
   * `UPSTREAM_UNAVAILABLE`, with the last upstream error code in metadata `maxcompute_code`).
   */
  WatchInstance(argument: _maxcompute_gateway_v1_WatchInstanceRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstanceResponse__Output>;
  WatchInstance(argument: _maxcompute_gateway_v1_WatchInstanceRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstanceResponse__Output>;
  /**
   * WatchInstance streams the state of one instance until it terminates. The first message is a
   * full snapshot (event type SNAPSHOT); then one message per state, task state or progress
   * change (and heartbeats when asked); the last message has event type TERMINAL and the final
   * state, after which the stream ends with OK. For an instance that has already terminated the
   * TERMINAL message is the snapshot and the only message. A reconnecting client gets a new
   * snapshot, so it never misses the terminal state. All watchers of one instance share one
   * upstream poller. Errors: NOT_FOUND when absent; UNAVAILABLE when the gateway shuts down
   * (reason `SHUTTING_DOWN`), the stream reaches its maximum age (reason `MAX_STREAM_AGE`;
   * reconnect), or MaxCompute gave no first state within the gateway's snapshot timeout (reason
   * `UPSTREAM_UNAVAILABLE`, with the last upstream error code in metadata `maxcompute_code`).
   */
  watchInstance(argument: _maxcompute_gateway_v1_WatchInstanceRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstanceResponse__Output>;
  watchInstance(argument: _maxcompute_gateway_v1_WatchInstanceRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstanceResponse__Output>;
  
  /**
   * WatchInstances streams instance changes in a project: first an ADDED event for every
   * matching instance and one SNAPSHOT_END event, then ADDED, CHANGED and TERMINATED events as
   * the project's instance list changes, until the client cancels. It polls
   * `GET /projects/{project}/instances` on the gateway's base cadence. Every event after the
   * snapshot carries a `resume_version`; a client that reconnects with the last one it received
   * as `resume_version` gets the events it missed instead of a new snapshot (like a Kubernetes
   * watch from a resourceVersion), and with `bookmark_interval` the stream sends BOOKMARK
   * events that carry the current version. Errors: UNAVAILABLE when the gateway shuts down,
   * the stream reaches its maximum age (reconnect, resuming), or the first listing failed for
   * the gateway's snapshot timeout (reason `UPSTREAM_UNAVAILABLE`); FAILED_PRECONDITION (reason
   * `RESUME_VERSION_TOO_OLD`) when the gateway no longer holds the events after
   * `resume_version` (it keeps a bounded history for a while, per gateway process): watch
   * again without `resume_version` for a new snapshot; INVALID_ARGUMENT for a malformed
   * `resume_version` or an interval out of range.
   */
  WatchInstances(argument: _maxcompute_gateway_v1_WatchInstancesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstancesResponse__Output>;
  WatchInstances(argument: _maxcompute_gateway_v1_WatchInstancesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstancesResponse__Output>;
  /**
   * WatchInstances streams instance changes in a project: first an ADDED event for every
   * matching instance and one SNAPSHOT_END event, then ADDED, CHANGED and TERMINATED events as
   * the project's instance list changes, until the client cancels. It polls
   * `GET /projects/{project}/instances` on the gateway's base cadence. Every event after the
   * snapshot carries a `resume_version`; a client that reconnects with the last one it received
   * as `resume_version` gets the events it missed instead of a new snapshot (like a Kubernetes
   * watch from a resourceVersion), and with `bookmark_interval` the stream sends BOOKMARK
   * events that carry the current version. Errors: UNAVAILABLE when the gateway shuts down,
   * the stream reaches its maximum age (reconnect, resuming), or the first listing failed for
   * the gateway's snapshot timeout (reason `UPSTREAM_UNAVAILABLE`); FAILED_PRECONDITION (reason
   * `RESUME_VERSION_TOO_OLD`) when the gateway no longer holds the events after
   * `resume_version` (it keeps a bounded history for a while, per gateway process): watch
   * again without `resume_version` for a new snapshot; INVALID_ARGUMENT for a malformed
   * `resume_version` or an interval out of range.
   */
  watchInstances(argument: _maxcompute_gateway_v1_WatchInstancesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstancesResponse__Output>;
  watchInstances(argument: _maxcompute_gateway_v1_WatchInstancesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstancesResponse__Output>;
  
}

/**
 * InstanceService fronts the MaxCompute REST API for job instances. Every RPC names a project; an
 * empty `project` means the gateway's configured default project.
 * 
 * Errors use the canonical gRPC codes with a `google.rpc.ErrorInfo` detail whose domain is
 * `mcgateway.github.io` and whose reason is an UPPER_SNAKE_CASE value this API owns, for example
 * `INSTANCE_NOT_FOUND`, `INSTANCE_NOT_RUNNING`, `UPSTREAM_THROTTLED` or `INVALID_REQUEST`
 * (docs/api-design.md lists them all; clients must expect new ones). When MaxCompute answered
 * with an error, its own code (such as `NoSuchObject`) is in metadata `maxcompute_code`; metadata
 * also carries `project`, `instance_id` and `upstream_request_id` where known. INVALID_ARGUMENT
 * also carries `google.rpc.BadRequest` field violations, RESOURCE_EXHAUSTED a
 * `google.rpc.QuotaFailure` when a gateway limit refused the call, and UNAVAILABLE or
 * RESOURCE_EXHAUSTED a `google.rpc.RetryInfo` when it is known when to retry. Every RPC can
 * return UNAUTHENTICATED (missing or unknown bearer token), PERMISSION_DENIED (the token may not
 * use the project; checked before existence), UNAVAILABLE (MaxCompute unreachable or failing;
 * safe to retry for reads), DEADLINE_EXCEEDED and INTERNAL (a gateway bug; a
 * `google.rpc.RequestInfo` carries a request id that also appears in the gateway's logs).
 */
export interface InstanceServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * EstimateSqlCost estimates what a SQL job would cost without running it (PyODPS
   * `execute_sql_cost`): it submits the query as a `SQLCost` task
   * (`POST /projects/{project}/instances`), waits for that instance and reads its result
   * (`?result`). Each call runs one short upstream instance. Errors: INVALID_ARGUMENT for an
   * empty or oversized query or bad job options, and for a query MaxCompute cannot estimate
   * (for example a parse error: reason `UPSTREAM_INVALID_ARGUMENT`, MaxCompute's `ODPS-` code
   * in metadata `maxcompute_code`); NOT_FOUND when the query names an absent table;
   * DEADLINE_EXCEEDED when the estimate did not finish within the call's deadline (the id of
   * the estimating instance is in metadata `instance_id`).
   */
  EstimateSqlCost: grpc.handleUnaryCall<_maxcompute_gateway_v1_EstimateSqlCostRequest__Output, _maxcompute_gateway_v1_EstimateSqlCostResponse>;
  
  /**
   * ExecuteSql submits a SQL job like SubmitSql and streams its states like WatchInstance until
   * it terminates (PyODPS `execute_sql`, with Airflow's `cancel_on_kill` as `stop_on_cancel`).
   * Every message carries the instance; the first one (SNAPSHOT, or TERMINAL for a job that
   * ended at once) names it, so a caller whose stream breaks follows it with WatchInstance, or
   * calls ExecuteSql again with the same `request_id`, which reattaches to the same instance
   * instead of submitting another. With `stop_on_cancel`, when the caller cancels the call,
   * disconnects or lets its deadline pass before the instance terminates, the gateway stops
   * the instance (`PUT /projects/{project}/instances/{id}`), once, and only an instance this
   * very call created: a call that reattached through `request_id` never stops it, and a
   * stream the gateway ends itself (shutdown, maximum age) stops nothing. Errors:
   * INVALID_ARGUMENT as for SubmitSql, and for a heartbeat interval out of range; UNAVAILABLE as
   * for WatchInstance (reasons `SHUTTING_DOWN`, `MAX_STREAM_AGE`, `UPSTREAM_UNAVAILABLE`; then
   * follow the named instance, it keeps running).
   */
  ExecuteSql: grpc.handleServerStreamingCall<_maxcompute_gateway_v1_ExecuteSqlRequest__Output, _maxcompute_gateway_v1_ExecuteSqlResponse>;
  
  /**
   * GenerateLogviewAddress returns a new Logview URL for an instance (PyODPS
   * `get_logview_address`), signed with a token minted by
   * `POST /projects/{project}/authorization` that stays valid for the requested time. Each call
   * mints a new token. Errors: NOT_FOUND when absent; INVALID_ARGUMENT when `ttl` is out of range.
   */
  GenerateLogviewAddress: grpc.handleUnaryCall<_maxcompute_gateway_v1_GenerateLogviewAddressRequest__Output, _maxcompute_gateway_v1_GenerateLogviewAddressResponse>;
  
  /**
   * GetInstance returns one instance with its tasks (PyODPS `get_instance` followed by `status`
   * and `get_task_statuses`): `GET /projects/{project}/instances/{id}` and `?taskstatus`. Reads of
   * terminated instances are served from the gateway's cache; while the gateway follows the
   * instance for a watcher, the answer may come from that watch: its state is current, its tasks
   * at most `hub_read_max_age` (default 5 s) old. Errors: NOT_FOUND (reason
   * `INSTANCE_NOT_FOUND`) when the instance does not exist.
   */
  GetInstance: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetInstanceRequest__Output, _maxcompute_gateway_v1_Instance>;
  
  /**
   * GetQueueingInfo returns where an instance stands in MaxCompute's job queue: its priority,
   * its position while it waits for a slot, its state and progress (PyODPS
   * `get_queueing_info`): `GET /projects/{project}/instances/{id}?cached`. Errors: NOT_FOUND
   * (reason `INSTANCE_NOT_FOUND`) when the instance is absent; INVALID_ARGUMENT for a malformed
   * instance id.
   */
  GetQueueingInfo: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetQueueingInfoRequest__Output, _maxcompute_gateway_v1_QueueingInfo>;
  
  /**
   * GetTaskDetail returns the execution detail of one task and its workers with their log ids
   * (PyODPS `get_task_detail`, `get_task_detail2` and `get_task_workers`):
   * `GET /projects/{project}/instances/{id}?instancedetail&taskname={task}` and
   * `?detail&taskname={task}`. Errors: NOT_FOUND when the instance (reason
   * `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent; INVALID_ARGUMENT for
   * a malformed instance id or task name.
   */
  GetTaskDetail: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetTaskDetailRequest__Output, _maxcompute_gateway_v1_TaskDetail>;
  
  /**
   * GetTaskProgress returns the stage progress of one task (PyODPS `get_task_progress`):
   * `GET /projects/{project}/instances/{id}?instanceprogress={task}&taskname={task}`, or, while
   * the gateway follows the instance for a watcher, that watch's progress (at most
   * `hub_read_max_age`, default 5 s, old). Errors: NOT_FOUND when the instance is absent.
   */
  GetTaskProgress: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetTaskProgressRequest__Output, _maxcompute_gateway_v1_TaskProgress>;
  
  /**
   * GetTaskResult returns the result of one task (PyODPS `get_task_result`):
   * `GET /projects/{project}/instances/{id}?result`. Errors: NOT_FOUND when the instance (reason
   * `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent.
   */
  GetTaskResult: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetTaskResultRequest__Output, _maxcompute_gateway_v1_TaskResult>;
  
  /**
   * GetTaskSummary returns the summary of one task with what it cost so far (PyODPS
   * `get_task_summary` and `get_task_cost`):
   * `GET /projects/{project}/instances/{id}?instancesummary&taskname={task}`. Summaries of
   * terminated instances are served from the gateway's cache. Errors: NOT_FOUND when the
   * instance (reason `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent;
   * INVALID_ARGUMENT for a malformed instance id or task name.
   */
  GetTaskSummary: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetTaskSummaryRequest__Output, _maxcompute_gateway_v1_TaskSummary>;
  
  /**
   * GetWorkerLog returns one log of one worker, or its last `max_size_bytes` (PyODPS
   * `get_worker_log`): `GET /projects/{project}/instances/{id}?log&id={log_id}&logtype={type}`.
   * The log id must be one that GetTaskDetail lists for a worker of the same instance; the
   * gateway checks that before it reads the log. Errors: NOT_FOUND when the instance is absent
   * (reason `INSTANCE_NOT_FOUND`) or has no worker with this log id (reason
   * `WORKER_LOG_NOT_FOUND`, also for a log id of another instance); INVALID_ARGUMENT for an
   * empty or malformed log id, an unknown log type, or a size that is negative or above the
   * gateway's bound of 2 MiB.
   */
  GetWorkerLog: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetWorkerLogRequest__Output, _maxcompute_gateway_v1_WorkerLog>;
  
  /**
   * InstanceExists tells whether an instance exists (PyODPS `exist_instance`): a plain
   * `GET /projects/{project}/instances/{id}`, where MaxCompute's `NoSuchObject` becomes
   * `exists = false` rather than an error.
   */
  InstanceExists: grpc.handleUnaryCall<_maxcompute_gateway_v1_InstanceExistsRequest__Output, _maxcompute_gateway_v1_InstanceExistsResponse>;
  
  /**
   * ListInstances lists the instances of a project in MaxCompute's order, one page at a time (PyODPS
   * `list_instances`): `GET /projects/{project}/instances`, with MaxCompute's `marker`/`maxitems`
   * paging behind an opaque page token. Errors: INVALID_ARGUMENT for a negative page size, a
   * malformed or mismatched page token, or `max_start_time` before `min_start_time`.
   */
  ListInstances: grpc.handleUnaryCall<_maxcompute_gateway_v1_ListInstancesRequest__Output, _maxcompute_gateway_v1_ListInstancesResponse>;
  
  /**
   * ListQueueingInfos lists a project's job queue, one page at a time, in MaxCompute's order
   * (PyODPS `list_instance_queueing_infos`): `GET /projects/{project}/cachedinstances`, with
   * MaxCompute's `marker`/`maxitems` paging behind an opaque page token. Errors:
   * INVALID_ARGUMENT for a negative page size, a malformed or mismatched page token, or a
   * malformed quota index.
   */
  ListQueueingInfos: grpc.handleUnaryCall<_maxcompute_gateway_v1_ListQueueingInfosRequest__Output, _maxcompute_gateway_v1_ListQueueingInfosResponse>;
  
  /**
   * ListSubInstances lists the sub-instances of an XFlow (PAI) instance with a Logview URL for
   * each, one page at a time (PyODPS `get_xflow_sub_instances`):
   * `GET /projects/{project}/instances/{id}?xresult`. Errors: NOT_FOUND when absent;
   * FAILED_PRECONDITION (reason `NOT_XFLOW`) when the instance is not an XFlow instance;
   * INVALID_ARGUMENT for a bad page size or token.
   */
  ListSubInstances: grpc.handleUnaryCall<_maxcompute_gateway_v1_ListSubInstancesRequest__Output, _maxcompute_gateway_v1_ListSubInstancesResponse>;
  
  /**
   * ListTaskResults lists the results of the instance's tasks in task order, one page at a time
   * (PyODPS `get_task_results`): `GET /projects/{project}/instances/{id}?result`. Errors:
   * NOT_FOUND when absent; INVALID_ARGUMENT for a bad page size or token.
   */
  ListTaskResults: grpc.handleUnaryCall<_maxcompute_gateway_v1_ListTaskResultsRequest__Output, _maxcompute_gateway_v1_ListTaskResultsResponse>;
  
  /**
   * ListTasks lists the tasks of an instance with their states, one page at a time (PyODPS
   * `get_task_names` and `get_task_statuses`): `GET /projects/{project}/instances/{id}?taskstatus`,
   * or, while the gateway follows the instance for a watcher, that watch's task states (at most
   * `hub_read_max_age`, default 5 s, old). Errors: NOT_FOUND when the instance is absent;
   * INVALID_ARGUMENT for a bad page size or token.
   */
  ListTasks: grpc.handleUnaryCall<_maxcompute_gateway_v1_ListTasksRequest__Output, _maxcompute_gateway_v1_ListTasksResponse>;
  
  /**
   * ReadInstanceResult streams the rows of a SELECT's result through MaxCompute's instance
   * tunnel, typed and without the 10,000-row cap of GetTaskResult (PyODPS
   * `open_reader(tunnel=True)`): `GET /projects/{project}/tunnel?service` to find the tunnel,
   * `POST /projects/{project}/instances/{id}?downloads` for a download session and its row
   * count, then ranged reads (`?data&downloadid=…&rowrange=(start,count)&columns=…&arrow`). Like
   * BigQuery Storage `ReadRows`, the first message carries the schema and the total row count
   * and no rows; every later message carries one batch of rows, bounded in bytes, with the
   * offset of its first row. A client whose stream breaks calls again with `offset` set to the
   * last batch's `row_offset + row_count` (and `limit` reduced by the rows it has) and loses or
   * repeats no row. The gateway reads ahead by at most a few batches, so a slow reader holds
   * back the upstream reads instead of filling the gateway's memory. Errors: NOT_FOUND when
   * the instance (reason `INSTANCE_NOT_FOUND`) or the task (reason `TASK_NOT_FOUND`) is absent;
   * INVALID_ARGUMENT for a negative offset or limit, an unknown or repeated column, or an
   * unknown format; FAILED_PRECONDITION when the instance has not terminated (reason
   * `INSTANCE_NOT_TERMINATED`), when its task failed (reason `TASK_FAILED`, with the task's
   * error in the message) or when the task produced no table to read, for example a DDL
   * statement or a non-SQL task (reason `RESULT_NOT_TABULAR`).
   * (-- api-linter: core::0131::synonyms=disabled
   * aip.dev/not-precedent: a streaming read of rows, named like BigQuery Storage's
   * ReadRows; it is not a Get of a resource. --)
   */
  ReadInstanceResult: grpc.handleServerStreamingCall<_maxcompute_gateway_v1_ReadInstanceResultRequest__Output, _maxcompute_gateway_v1_ReadInstanceResultResponse>;
  
  /**
   * StopInstance stops a running instance (PyODPS `stop_instance`): `PUT
   * /projects/{project}/instances/{id}` with the status `Terminated`. Stopping is
   * asynchronous in MaxCompute; the returned instance is the latest state read after the stop
   * request and may still be running. Errors: NOT_FOUND when absent; FAILED_PRECONDITION (reason
   * `INSTANCE_NOT_RUNNING`) when the instance is not running, because MaxCompute only stops
   * running instances.
   */
  StopInstance: grpc.handleUnaryCall<_maxcompute_gateway_v1_StopInstanceRequest__Output, _maxcompute_gateway_v1_StopInstanceResponse>;
  
  /**
   * SubmitSql submits a SQL job as a new instance with one `AnonymousSQLTask` (PyODPS `run_sql`):
   * `POST /projects/{project}/instances`. It returns as soon as MaxCompute accepted the job; use
   * WaitInstance or WatchInstance to follow it. A retried call with the same `request_id` returns
   * the instance the first call created instead of a duplicate. Errors: INVALID_ARGUMENT for an
   * empty or oversized query, bad hints, a priority out of range or a malformed request id.
   */
  SubmitSql: grpc.handleUnaryCall<_maxcompute_gateway_v1_SubmitSqlRequest__Output, _maxcompute_gateway_v1_SubmitSqlResponse>;
  
  /**
   * SubmitXflow submits an XFlow (PAI algorithm) job as a new instance (PyODPS `run_xflow`):
   * `POST /projects/{project}/instances` with an `<XflowInstance>` job. Errors: INVALID_ARGUMENT
   * for a missing XFlow name, bad parameters or a malformed request id.
   */
  SubmitXflow: grpc.handleUnaryCall<_maxcompute_gateway_v1_SubmitXflowRequest__Output, _maxcompute_gateway_v1_SubmitXflowResponse>;
  
  /**
   * WaitInstance waits until the instance terminates or min(request timeout, call deadline, the
   * server's cap of about 30 seconds) passes, then returns the latest state (like
   * google.longrunning WaitOperation). A response with a running instance is normal: call again.
   * It shares the gateway's one upstream poller per instance. Errors: NOT_FOUND when absent;
   * INVALID_ARGUMENT for a negative timeout; UNAVAILABLE (reason `UPSTREAM_UNAVAILABLE`) when
   * no state of the instance could be read from MaxCompute in time.
   */
  WaitInstance: grpc.handleUnaryCall<_maxcompute_gateway_v1_WaitInstanceRequest__Output, _maxcompute_gateway_v1_WaitInstanceResponse>;
  
  /**
   * WatchInstance streams the state of one instance until it terminates. The first message is a
   * full snapshot (event type SNAPSHOT); then one message per state, task state or progress
   * change (and heartbeats when asked); the last message has event type TERMINAL and the final
   * state, after which the stream ends with OK. For an instance that has already terminated the
   * TERMINAL message is the snapshot and the only message. A reconnecting client gets a new
   * snapshot, so it never misses the terminal state. All watchers of one instance share one
   * upstream poller. Errors: NOT_FOUND when absent; UNAVAILABLE when the gateway shuts down
   * (reason `SHUTTING_DOWN`), the stream reaches its maximum age (reason `MAX_STREAM_AGE`;
   * reconnect), or MaxCompute gave no first state within the gateway's snapshot timeout (reason
   * `UPSTREAM_UNAVAILABLE`, with the last upstream error code in metadata `maxcompute_code`).
   */
  WatchInstance: grpc.handleServerStreamingCall<_maxcompute_gateway_v1_WatchInstanceRequest__Output, _maxcompute_gateway_v1_WatchInstanceResponse>;
  
  /**
   * WatchInstances streams instance changes in a project: first an ADDED event for every
   * matching instance and one SNAPSHOT_END event, then ADDED, CHANGED and TERMINATED events as
   * the project's instance list changes, until the client cancels. It polls
   * `GET /projects/{project}/instances` on the gateway's base cadence. Every event after the
   * snapshot carries a `resume_version`; a client that reconnects with the last one it received
   * as `resume_version` gets the events it missed instead of a new snapshot (like a Kubernetes
   * watch from a resourceVersion), and with `bookmark_interval` the stream sends BOOKMARK
   * events that carry the current version. Errors: UNAVAILABLE when the gateway shuts down,
   * the stream reaches its maximum age (reconnect, resuming), or the first listing failed for
   * the gateway's snapshot timeout (reason `UPSTREAM_UNAVAILABLE`); FAILED_PRECONDITION (reason
   * `RESUME_VERSION_TOO_OLD`) when the gateway no longer holds the events after
   * `resume_version` (it keeps a bounded history for a while, per gateway process): watch
   * again without `resume_version` for a new snapshot; INVALID_ARGUMENT for a malformed
   * `resume_version` or an interval out of range.
   */
  WatchInstances: grpc.handleServerStreamingCall<_maxcompute_gateway_v1_WatchInstancesRequest__Output, _maxcompute_gateway_v1_WatchInstancesResponse>;
  
}

export interface InstanceServiceDefinition extends grpc.ServiceDefinition {
  EstimateSqlCost: MethodDefinition<_maxcompute_gateway_v1_EstimateSqlCostRequest, _maxcompute_gateway_v1_EstimateSqlCostResponse, _maxcompute_gateway_v1_EstimateSqlCostRequest__Output, _maxcompute_gateway_v1_EstimateSqlCostResponse__Output>
  ExecuteSql: MethodDefinition<_maxcompute_gateway_v1_ExecuteSqlRequest, _maxcompute_gateway_v1_ExecuteSqlResponse, _maxcompute_gateway_v1_ExecuteSqlRequest__Output, _maxcompute_gateway_v1_ExecuteSqlResponse__Output>
  GenerateLogviewAddress: MethodDefinition<_maxcompute_gateway_v1_GenerateLogviewAddressRequest, _maxcompute_gateway_v1_GenerateLogviewAddressResponse, _maxcompute_gateway_v1_GenerateLogviewAddressRequest__Output, _maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output>
  GetInstance: MethodDefinition<_maxcompute_gateway_v1_GetInstanceRequest, _maxcompute_gateway_v1_Instance, _maxcompute_gateway_v1_GetInstanceRequest__Output, _maxcompute_gateway_v1_Instance__Output>
  GetQueueingInfo: MethodDefinition<_maxcompute_gateway_v1_GetQueueingInfoRequest, _maxcompute_gateway_v1_QueueingInfo, _maxcompute_gateway_v1_GetQueueingInfoRequest__Output, _maxcompute_gateway_v1_QueueingInfo__Output>
  GetTaskDetail: MethodDefinition<_maxcompute_gateway_v1_GetTaskDetailRequest, _maxcompute_gateway_v1_TaskDetail, _maxcompute_gateway_v1_GetTaskDetailRequest__Output, _maxcompute_gateway_v1_TaskDetail__Output>
  GetTaskProgress: MethodDefinition<_maxcompute_gateway_v1_GetTaskProgressRequest, _maxcompute_gateway_v1_TaskProgress, _maxcompute_gateway_v1_GetTaskProgressRequest__Output, _maxcompute_gateway_v1_TaskProgress__Output>
  GetTaskResult: MethodDefinition<_maxcompute_gateway_v1_GetTaskResultRequest, _maxcompute_gateway_v1_TaskResult, _maxcompute_gateway_v1_GetTaskResultRequest__Output, _maxcompute_gateway_v1_TaskResult__Output>
  GetTaskSummary: MethodDefinition<_maxcompute_gateway_v1_GetTaskSummaryRequest, _maxcompute_gateway_v1_TaskSummary, _maxcompute_gateway_v1_GetTaskSummaryRequest__Output, _maxcompute_gateway_v1_TaskSummary__Output>
  GetWorkerLog: MethodDefinition<_maxcompute_gateway_v1_GetWorkerLogRequest, _maxcompute_gateway_v1_WorkerLog, _maxcompute_gateway_v1_GetWorkerLogRequest__Output, _maxcompute_gateway_v1_WorkerLog__Output>
  InstanceExists: MethodDefinition<_maxcompute_gateway_v1_InstanceExistsRequest, _maxcompute_gateway_v1_InstanceExistsResponse, _maxcompute_gateway_v1_InstanceExistsRequest__Output, _maxcompute_gateway_v1_InstanceExistsResponse__Output>
  ListInstances: MethodDefinition<_maxcompute_gateway_v1_ListInstancesRequest, _maxcompute_gateway_v1_ListInstancesResponse, _maxcompute_gateway_v1_ListInstancesRequest__Output, _maxcompute_gateway_v1_ListInstancesResponse__Output>
  ListQueueingInfos: MethodDefinition<_maxcompute_gateway_v1_ListQueueingInfosRequest, _maxcompute_gateway_v1_ListQueueingInfosResponse, _maxcompute_gateway_v1_ListQueueingInfosRequest__Output, _maxcompute_gateway_v1_ListQueueingInfosResponse__Output>
  ListSubInstances: MethodDefinition<_maxcompute_gateway_v1_ListSubInstancesRequest, _maxcompute_gateway_v1_ListSubInstancesResponse, _maxcompute_gateway_v1_ListSubInstancesRequest__Output, _maxcompute_gateway_v1_ListSubInstancesResponse__Output>
  ListTaskResults: MethodDefinition<_maxcompute_gateway_v1_ListTaskResultsRequest, _maxcompute_gateway_v1_ListTaskResultsResponse, _maxcompute_gateway_v1_ListTaskResultsRequest__Output, _maxcompute_gateway_v1_ListTaskResultsResponse__Output>
  ListTasks: MethodDefinition<_maxcompute_gateway_v1_ListTasksRequest, _maxcompute_gateway_v1_ListTasksResponse, _maxcompute_gateway_v1_ListTasksRequest__Output, _maxcompute_gateway_v1_ListTasksResponse__Output>
  ReadInstanceResult: MethodDefinition<_maxcompute_gateway_v1_ReadInstanceResultRequest, _maxcompute_gateway_v1_ReadInstanceResultResponse, _maxcompute_gateway_v1_ReadInstanceResultRequest__Output, _maxcompute_gateway_v1_ReadInstanceResultResponse__Output>
  StopInstance: MethodDefinition<_maxcompute_gateway_v1_StopInstanceRequest, _maxcompute_gateway_v1_StopInstanceResponse, _maxcompute_gateway_v1_StopInstanceRequest__Output, _maxcompute_gateway_v1_StopInstanceResponse__Output>
  SubmitSql: MethodDefinition<_maxcompute_gateway_v1_SubmitSqlRequest, _maxcompute_gateway_v1_SubmitSqlResponse, _maxcompute_gateway_v1_SubmitSqlRequest__Output, _maxcompute_gateway_v1_SubmitSqlResponse__Output>
  SubmitXflow: MethodDefinition<_maxcompute_gateway_v1_SubmitXflowRequest, _maxcompute_gateway_v1_SubmitXflowResponse, _maxcompute_gateway_v1_SubmitXflowRequest__Output, _maxcompute_gateway_v1_SubmitXflowResponse__Output>
  WaitInstance: MethodDefinition<_maxcompute_gateway_v1_WaitInstanceRequest, _maxcompute_gateway_v1_WaitInstanceResponse, _maxcompute_gateway_v1_WaitInstanceRequest__Output, _maxcompute_gateway_v1_WaitInstanceResponse__Output>
  WatchInstance: MethodDefinition<_maxcompute_gateway_v1_WatchInstanceRequest, _maxcompute_gateway_v1_WatchInstanceResponse, _maxcompute_gateway_v1_WatchInstanceRequest__Output, _maxcompute_gateway_v1_WatchInstanceResponse__Output>
  WatchInstances: MethodDefinition<_maxcompute_gateway_v1_WatchInstancesRequest, _maxcompute_gateway_v1_WatchInstancesResponse, _maxcompute_gateway_v1_WatchInstancesRequest__Output, _maxcompute_gateway_v1_WatchInstancesResponse__Output>
}
