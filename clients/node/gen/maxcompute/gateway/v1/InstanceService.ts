// Original file: maxcompute/gateway/v1/instance_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetInstanceRequest as _maxcompute_gateway_v1_GetInstanceRequest, GetInstanceRequest__Output as _maxcompute_gateway_v1_GetInstanceRequest__Output } from '../../../maxcompute/gateway/v1/GetInstanceRequest.js';
import type { GetInstanceResponse as _maxcompute_gateway_v1_GetInstanceResponse, GetInstanceResponse__Output as _maxcompute_gateway_v1_GetInstanceResponse__Output } from '../../../maxcompute/gateway/v1/GetInstanceResponse.js';
import type { GetLogviewAddressRequest as _maxcompute_gateway_v1_GetLogviewAddressRequest, GetLogviewAddressRequest__Output as _maxcompute_gateway_v1_GetLogviewAddressRequest__Output } from '../../../maxcompute/gateway/v1/GetLogviewAddressRequest.js';
import type { GetLogviewAddressResponse as _maxcompute_gateway_v1_GetLogviewAddressResponse, GetLogviewAddressResponse__Output as _maxcompute_gateway_v1_GetLogviewAddressResponse__Output } from '../../../maxcompute/gateway/v1/GetLogviewAddressResponse.js';
import type { GetTaskProgressRequest as _maxcompute_gateway_v1_GetTaskProgressRequest, GetTaskProgressRequest__Output as _maxcompute_gateway_v1_GetTaskProgressRequest__Output } from '../../../maxcompute/gateway/v1/GetTaskProgressRequest.js';
import type { GetTaskProgressResponse as _maxcompute_gateway_v1_GetTaskProgressResponse, GetTaskProgressResponse__Output as _maxcompute_gateway_v1_GetTaskProgressResponse__Output } from '../../../maxcompute/gateway/v1/GetTaskProgressResponse.js';
import type { GetTaskResultRequest as _maxcompute_gateway_v1_GetTaskResultRequest, GetTaskResultRequest__Output as _maxcompute_gateway_v1_GetTaskResultRequest__Output } from '../../../maxcompute/gateway/v1/GetTaskResultRequest.js';
import type { GetTaskResultResponse as _maxcompute_gateway_v1_GetTaskResultResponse, GetTaskResultResponse__Output as _maxcompute_gateway_v1_GetTaskResultResponse__Output } from '../../../maxcompute/gateway/v1/GetTaskResultResponse.js';
import type { GetTaskResultsRequest as _maxcompute_gateway_v1_GetTaskResultsRequest, GetTaskResultsRequest__Output as _maxcompute_gateway_v1_GetTaskResultsRequest__Output } from '../../../maxcompute/gateway/v1/GetTaskResultsRequest.js';
import type { GetTaskResultsResponse as _maxcompute_gateway_v1_GetTaskResultsResponse, GetTaskResultsResponse__Output as _maxcompute_gateway_v1_GetTaskResultsResponse__Output } from '../../../maxcompute/gateway/v1/GetTaskResultsResponse.js';
import type { InstanceExistsRequest as _maxcompute_gateway_v1_InstanceExistsRequest, InstanceExistsRequest__Output as _maxcompute_gateway_v1_InstanceExistsRequest__Output } from '../../../maxcompute/gateway/v1/InstanceExistsRequest.js';
import type { InstanceExistsResponse as _maxcompute_gateway_v1_InstanceExistsResponse, InstanceExistsResponse__Output as _maxcompute_gateway_v1_InstanceExistsResponse__Output } from '../../../maxcompute/gateway/v1/InstanceExistsResponse.js';
import type { ListInstancesRequest as _maxcompute_gateway_v1_ListInstancesRequest, ListInstancesRequest__Output as _maxcompute_gateway_v1_ListInstancesRequest__Output } from '../../../maxcompute/gateway/v1/ListInstancesRequest.js';
import type { ListInstancesResponse as _maxcompute_gateway_v1_ListInstancesResponse, ListInstancesResponse__Output as _maxcompute_gateway_v1_ListInstancesResponse__Output } from '../../../maxcompute/gateway/v1/ListInstancesResponse.js';
import type { ListSubInstancesRequest as _maxcompute_gateway_v1_ListSubInstancesRequest, ListSubInstancesRequest__Output as _maxcompute_gateway_v1_ListSubInstancesRequest__Output } from '../../../maxcompute/gateway/v1/ListSubInstancesRequest.js';
import type { ListSubInstancesResponse as _maxcompute_gateway_v1_ListSubInstancesResponse, ListSubInstancesResponse__Output as _maxcompute_gateway_v1_ListSubInstancesResponse__Output } from '../../../maxcompute/gateway/v1/ListSubInstancesResponse.js';
import type { ListTasksRequest as _maxcompute_gateway_v1_ListTasksRequest, ListTasksRequest__Output as _maxcompute_gateway_v1_ListTasksRequest__Output } from '../../../maxcompute/gateway/v1/ListTasksRequest.js';
import type { ListTasksResponse as _maxcompute_gateway_v1_ListTasksResponse, ListTasksResponse__Output as _maxcompute_gateway_v1_ListTasksResponse__Output } from '../../../maxcompute/gateway/v1/ListTasksResponse.js';
import type { StopInstanceRequest as _maxcompute_gateway_v1_StopInstanceRequest, StopInstanceRequest__Output as _maxcompute_gateway_v1_StopInstanceRequest__Output } from '../../../maxcompute/gateway/v1/StopInstanceRequest.js';
import type { StopInstanceResponse as _maxcompute_gateway_v1_StopInstanceResponse, StopInstanceResponse__Output as _maxcompute_gateway_v1_StopInstanceResponse__Output } from '../../../maxcompute/gateway/v1/StopInstanceResponse.js';
import type { SubmitSqlRequest as _maxcompute_gateway_v1_SubmitSqlRequest, SubmitSqlRequest__Output as _maxcompute_gateway_v1_SubmitSqlRequest__Output } from '../../../maxcompute/gateway/v1/SubmitSqlRequest.js';
import type { SubmitSqlResponse as _maxcompute_gateway_v1_SubmitSqlResponse, SubmitSqlResponse__Output as _maxcompute_gateway_v1_SubmitSqlResponse__Output } from '../../../maxcompute/gateway/v1/SubmitSqlResponse.js';
import type { SubmitXflowRequest as _maxcompute_gateway_v1_SubmitXflowRequest, SubmitXflowRequest__Output as _maxcompute_gateway_v1_SubmitXflowRequest__Output } from '../../../maxcompute/gateway/v1/SubmitXflowRequest.js';
import type { SubmitXflowResponse as _maxcompute_gateway_v1_SubmitXflowResponse, SubmitXflowResponse__Output as _maxcompute_gateway_v1_SubmitXflowResponse__Output } from '../../../maxcompute/gateway/v1/SubmitXflowResponse.js';
import type { WaitInstanceRequest as _maxcompute_gateway_v1_WaitInstanceRequest, WaitInstanceRequest__Output as _maxcompute_gateway_v1_WaitInstanceRequest__Output } from '../../../maxcompute/gateway/v1/WaitInstanceRequest.js';
import type { WaitInstanceResponse as _maxcompute_gateway_v1_WaitInstanceResponse, WaitInstanceResponse__Output as _maxcompute_gateway_v1_WaitInstanceResponse__Output } from '../../../maxcompute/gateway/v1/WaitInstanceResponse.js';
import type { WatchInstanceRequest as _maxcompute_gateway_v1_WatchInstanceRequest, WatchInstanceRequest__Output as _maxcompute_gateway_v1_WatchInstanceRequest__Output } from '../../../maxcompute/gateway/v1/WatchInstanceRequest.js';
import type { WatchInstanceResponse as _maxcompute_gateway_v1_WatchInstanceResponse, WatchInstanceResponse__Output as _maxcompute_gateway_v1_WatchInstanceResponse__Output } from '../../../maxcompute/gateway/v1/WatchInstanceResponse.js';
import type { WatchInstancesRequest as _maxcompute_gateway_v1_WatchInstancesRequest, WatchInstancesRequest__Output as _maxcompute_gateway_v1_WatchInstancesRequest__Output } from '../../../maxcompute/gateway/v1/WatchInstancesRequest.js';
import type { WatchInstancesResponse as _maxcompute_gateway_v1_WatchInstancesResponse, WatchInstancesResponse__Output as _maxcompute_gateway_v1_WatchInstancesResponse__Output } from '../../../maxcompute/gateway/v1/WatchInstancesResponse.js';

/**
 * InstanceService fronts the MaxCompute REST API for job instances. Every RPC names a project; an
 * empty `project` means the gateway's configured default project.
 * 
 * Errors use the canonical gRPC codes with a `google.rpc.ErrorInfo` detail (domain `mcgateway`,
 * reason = the MaxCompute error code such as `NoSuchObject`, or a gateway reason such as
 * `INVALID_REQUEST`; metadata `project`, `instance_id` and `upstream_request_id` where known).
 * INVALID_ARGUMENT also carries `google.rpc.BadRequest` field violations, and UNAVAILABLE or
 * RESOURCE_EXHAUSTED carry `google.rpc.RetryInfo` when MaxCompute said when to retry. Every RPC can
 * return UNAUTHENTICATED (missing or unknown bearer token), PERMISSION_DENIED (the token may not
 * use the project; checked before existence), UNAVAILABLE (MaxCompute unreachable or failing;
 * safe to retry for reads), DEADLINE_EXCEEDED and INTERNAL (a gateway bug; the message carries
 * a request id that also appears in the gateway's logs).
 */
export interface InstanceServiceClient extends grpc.Client {
  /**
   * GetInstance returns one instance with its tasks (PyODPS `get_instance` followed by `status`
   * and `get_task_statuses`): `GET /projects/{project}/instances/{id}` and `?taskstatus`. Reads of
   * terminated instances are served from the gateway's cache. Errors: NOT_FOUND when the
   * instance does not exist (reason `NoSuchObject`).
   */
  GetInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  GetInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  GetInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  GetInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetInstance returns one instance with its tasks (PyODPS `get_instance` followed by `status`
   * and `get_task_statuses`): `GET /projects/{project}/instances/{id}` and `?taskstatus`. Reads of
   * terminated instances are served from the gateway's cache. Errors: NOT_FOUND when the
   * instance does not exist (reason `NoSuchObject`).
   */
  getInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  getInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  getInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  getInstance(argument: _maxcompute_gateway_v1_GetInstanceRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetLogviewAddress returns a Logview URL for an instance (PyODPS `get_logview_address`),
   * signed with a token from `POST /projects/{project}/authorization` valid for `hours`. Errors:
   * NOT_FOUND when absent; INVALID_ARGUMENT when `hours` is out of range.
   */
  GetLogviewAddress(argument: _maxcompute_gateway_v1_GetLogviewAddressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  GetLogviewAddress(argument: _maxcompute_gateway_v1_GetLogviewAddressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  GetLogviewAddress(argument: _maxcompute_gateway_v1_GetLogviewAddressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  GetLogviewAddress(argument: _maxcompute_gateway_v1_GetLogviewAddressRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetLogviewAddress returns a Logview URL for an instance (PyODPS `get_logview_address`),
   * signed with a token from `POST /projects/{project}/authorization` valid for `hours`. Errors:
   * NOT_FOUND when absent; INVALID_ARGUMENT when `hours` is out of range.
   */
  getLogviewAddress(argument: _maxcompute_gateway_v1_GetLogviewAddressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  getLogviewAddress(argument: _maxcompute_gateway_v1_GetLogviewAddressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  getLogviewAddress(argument: _maxcompute_gateway_v1_GetLogviewAddressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  getLogviewAddress(argument: _maxcompute_gateway_v1_GetLogviewAddressRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetLogviewAddressResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetTaskProgress returns the stage progress of one task (PyODPS `get_task_progress`):
   * `GET /projects/{project}/instances/{id}?instanceprogress={task}&taskname={task}`. Errors:
   * NOT_FOUND when the instance is absent.
   */
  GetTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskProgressResponse__Output>): grpc.ClientUnaryCall;
  GetTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskProgressResponse__Output>): grpc.ClientUnaryCall;
  GetTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskProgressResponse__Output>): grpc.ClientUnaryCall;
  GetTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskProgressResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetTaskProgress returns the stage progress of one task (PyODPS `get_task_progress`):
   * `GET /projects/{project}/instances/{id}?instanceprogress={task}&taskname={task}`. Errors:
   * NOT_FOUND when the instance is absent.
   */
  getTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskProgressResponse__Output>): grpc.ClientUnaryCall;
  getTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskProgressResponse__Output>): grpc.ClientUnaryCall;
  getTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskProgressResponse__Output>): grpc.ClientUnaryCall;
  getTaskProgress(argument: _maxcompute_gateway_v1_GetTaskProgressRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskProgressResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetTaskResult returns the result of one task (PyODPS `get_task_result`):
   * `GET /projects/{project}/instances/{id}?result`. Errors: NOT_FOUND when the instance or the
   * task is absent.
   */
  GetTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultResponse__Output>): grpc.ClientUnaryCall;
  GetTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultResponse__Output>): grpc.ClientUnaryCall;
  GetTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultResponse__Output>): grpc.ClientUnaryCall;
  GetTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetTaskResult returns the result of one task (PyODPS `get_task_result`):
   * `GET /projects/{project}/instances/{id}?result`. Errors: NOT_FOUND when the instance or the
   * task is absent.
   */
  getTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultResponse__Output>): grpc.ClientUnaryCall;
  getTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultResponse__Output>): grpc.ClientUnaryCall;
  getTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultResponse__Output>): grpc.ClientUnaryCall;
  getTaskResult(argument: _maxcompute_gateway_v1_GetTaskResultRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetTaskResults returns the results of every task, in task order (PyODPS `get_task_results`):
   * `GET /projects/{project}/instances/{id}?result`. Errors: NOT_FOUND when absent.
   */
  GetTaskResults(argument: _maxcompute_gateway_v1_GetTaskResultsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  GetTaskResults(argument: _maxcompute_gateway_v1_GetTaskResultsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  GetTaskResults(argument: _maxcompute_gateway_v1_GetTaskResultsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  GetTaskResults(argument: _maxcompute_gateway_v1_GetTaskResultsRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetTaskResults returns the results of every task, in task order (PyODPS `get_task_results`):
   * `GET /projects/{project}/instances/{id}?result`. Errors: NOT_FOUND when absent.
   */
  getTaskResults(argument: _maxcompute_gateway_v1_GetTaskResultsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  getTaskResults(argument: _maxcompute_gateway_v1_GetTaskResultsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  getTaskResults(argument: _maxcompute_gateway_v1_GetTaskResultsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  getTaskResults(argument: _maxcompute_gateway_v1_GetTaskResultsRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_GetTaskResultsResponse__Output>): grpc.ClientUnaryCall;
  
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
   * `list_instances`). It maps to `GET /projects/{project}/instances` with MaxCompute's
   * `marker`/`maxitems` paging behind an opaque page token. Errors: INVALID_ARGUMENT for a
   * negative page size, a malformed or mismatched page token, or an end time before the start
   * time.
   */
  ListInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListInstances lists the instances of a project in MaxCompute's order, one page at a time (PyODPS
   * `list_instances`). It maps to `GET /projects/{project}/instances` with MaxCompute's
   * `marker`/`maxitems` paging behind an opaque page token. Errors: INVALID_ARGUMENT for a
   * negative page size, a malformed or mismatched page token, or an end time before the start
   * time.
   */
  listInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _maxcompute_gateway_v1_ListInstancesRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListSubInstances lists the sub-instances of an XFlow (PAI) instance with a Logview URL for
   * each (PyODPS `get_xflow_sub_instances`): `GET /projects/{project}/instances/{id}?xresult`.
   * Errors: NOT_FOUND when absent; FAILED_PRECONDITION when the instance is not an XFlow instance.
   */
  ListSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListSubInstances lists the sub-instances of an XFlow (PAI) instance with a Logview URL for
   * each (PyODPS `get_xflow_sub_instances`): `GET /projects/{project}/instances/{id}?xresult`.
   * Errors: NOT_FOUND when absent; FAILED_PRECONDITION when the instance is not an XFlow instance.
   */
  listSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  listSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  listSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  listSubInstances(argument: _maxcompute_gateway_v1_ListSubInstancesRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListSubInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListTasks lists the tasks of an instance with their statuses (PyODPS `get_task_names` and
   * `get_task_statuses`): `GET /projects/{project}/instances/{id}?taskstatus`. Errors: NOT_FOUND
   * when the instance is absent.
   */
  ListTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListTasks lists the tasks of an instance with their statuses (PyODPS `get_task_names` and
   * `get_task_statuses`): `GET /projects/{project}/instances/{id}?taskstatus`. Errors: NOT_FOUND
   * when the instance is absent.
   */
  listTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _maxcompute_gateway_v1_ListTasksRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * StopInstance stops a running instance (PyODPS `stop_instance`): `PUT
   * /projects/{project}/instances/{id}` with `<Status>Terminated</Status>`. Stopping is
   * asynchronous in MaxCompute; the returned instance is the latest state read after the stop
   * request and may still be running. Errors: NOT_FOUND when absent; FAILED_PRECONDITION (reason
   * `InvalidStateSetting`) when the instance is not running, because MaxCompute only stops
   * running instances.
   */
  StopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  StopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  StopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  StopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * StopInstance stops a running instance (PyODPS `stop_instance`): `PUT
   * /projects/{project}/instances/{id}` with `<Status>Terminated</Status>`. Stopping is
   * asynchronous in MaxCompute; the returned instance is the latest state read after the stop
   * request and may still be running. Errors: NOT_FOUND when absent; FAILED_PRECONDITION (reason
   * `InvalidStateSetting`) when the instance is not running, because MaxCompute only stops
   * running instances.
   */
  stopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  stopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  stopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  stopInstance(argument: _maxcompute_gateway_v1_StopInstanceRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_StopInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * SubmitSql submits a SQL query as a new instance with one `AnonymousSQLTask` (PyODPS
   * `run_sql`): `POST /projects/{project}/instances`. It returns as soon as MaxCompute accepted
   * the job; use WaitInstance or WatchInstance to follow it. A retried call with the same
   * `request_id` returns the instance the first call created instead of a duplicate. Errors:
   * INVALID_ARGUMENT for an empty or oversized query or bad hints.
   */
  SubmitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  SubmitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  SubmitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  SubmitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  /**
   * SubmitSql submits a SQL query as a new instance with one `AnonymousSQLTask` (PyODPS
   * `run_sql`): `POST /projects/{project}/instances`. It returns as soon as MaxCompute accepted
   * the job; use WaitInstance or WatchInstance to follow it. A retried call with the same
   * `request_id` returns the instance the first call created instead of a duplicate. Errors:
   * INVALID_ARGUMENT for an empty or oversized query or bad hints.
   */
  submitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  submitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  submitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  submitSql(argument: _maxcompute_gateway_v1_SubmitSqlRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitSqlResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * SubmitXflow submits an XFlow (PAI algorithm) job as a new instance (PyODPS `run_xflow`):
   * `POST /projects/{project}/instances` with an `<XflowInstance>` job. Errors: INVALID_ARGUMENT
   * for a missing XFlow name or bad parameters.
   */
  SubmitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  SubmitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  SubmitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  SubmitXflow(argument: _maxcompute_gateway_v1_SubmitXflowRequest, callback: grpc.requestCallback<_maxcompute_gateway_v1_SubmitXflowResponse__Output>): grpc.ClientUnaryCall;
  /**
   * SubmitXflow submits an XFlow (PAI algorithm) job as a new instance (PyODPS `run_xflow`):
   * `POST /projects/{project}/instances` with an `<XflowInstance>` job. Errors: INVALID_ARGUMENT
   * for a missing XFlow name or bad parameters.
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
   * full snapshot (event type SNAPSHOT); then one message per status, task status or progress
   * change (and heartbeats when asked); the last message has event type TERMINAL and the final
   * state, after which the stream ends with OK. For an instance that has already terminated the
   * TERMINAL message is the snapshot and the only message. A reconnecting client gets a new snapshot, so it
   * never misses the terminal state. All watchers of one instance share one upstream poller.
   * Errors: NOT_FOUND when absent; UNAVAILABLE when the gateway shuts down, the stream reaches
   * its maximum age (reconnect), or MaxCompute gave no first state within the gateway's
   * snapshot timeout (reason `UPSTREAM_UNAVAILABLE`, with the last upstream error code in
   * metadata `upstream_code`).
   */
  WatchInstance(argument: _maxcompute_gateway_v1_WatchInstanceRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstanceResponse__Output>;
  WatchInstance(argument: _maxcompute_gateway_v1_WatchInstanceRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstanceResponse__Output>;
  /**
   * WatchInstance streams the state of one instance until it terminates. The first message is a
   * full snapshot (event type SNAPSHOT); then one message per status, task status or progress
   * change (and heartbeats when asked); the last message has event type TERMINAL and the final
   * state, after which the stream ends with OK. For an instance that has already terminated the
   * TERMINAL message is the snapshot and the only message. A reconnecting client gets a new snapshot, so it
   * never misses the terminal state. All watchers of one instance share one upstream poller.
   * Errors: NOT_FOUND when absent; UNAVAILABLE when the gateway shuts down, the stream reaches
   * its maximum age (reconnect), or MaxCompute gave no first state within the gateway's
   * snapshot timeout (reason `UPSTREAM_UNAVAILABLE`, with the last upstream error code in
   * metadata `upstream_code`).
   */
  watchInstance(argument: _maxcompute_gateway_v1_WatchInstanceRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstanceResponse__Output>;
  watchInstance(argument: _maxcompute_gateway_v1_WatchInstanceRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstanceResponse__Output>;
  
  /**
   * WatchInstances streams instance changes in a project: first an ADDED event for every
   * matching instance and one SNAPSHOT_END event, then ADDED, CHANGED and TERMINATED events as
   * the project's instance list changes, until the client cancels. It polls
   * `GET /projects/{project}/instances` on the gateway's base cadence. Errors: UNAVAILABLE when
   * the gateway shuts down, the stream reaches its maximum age (reconnect), or the first listing
   * failed for the gateway's snapshot timeout (reason `UPSTREAM_UNAVAILABLE`).
   */
  WatchInstances(argument: _maxcompute_gateway_v1_WatchInstancesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstancesResponse__Output>;
  WatchInstances(argument: _maxcompute_gateway_v1_WatchInstancesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstancesResponse__Output>;
  /**
   * WatchInstances streams instance changes in a project: first an ADDED event for every
   * matching instance and one SNAPSHOT_END event, then ADDED, CHANGED and TERMINATED events as
   * the project's instance list changes, until the client cancels. It polls
   * `GET /projects/{project}/instances` on the gateway's base cadence. Errors: UNAVAILABLE when
   * the gateway shuts down, the stream reaches its maximum age (reconnect), or the first listing
   * failed for the gateway's snapshot timeout (reason `UPSTREAM_UNAVAILABLE`).
   */
  watchInstances(argument: _maxcompute_gateway_v1_WatchInstancesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstancesResponse__Output>;
  watchInstances(argument: _maxcompute_gateway_v1_WatchInstancesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maxcompute_gateway_v1_WatchInstancesResponse__Output>;
  
}

/**
 * InstanceService fronts the MaxCompute REST API for job instances. Every RPC names a project; an
 * empty `project` means the gateway's configured default project.
 * 
 * Errors use the canonical gRPC codes with a `google.rpc.ErrorInfo` detail (domain `mcgateway`,
 * reason = the MaxCompute error code such as `NoSuchObject`, or a gateway reason such as
 * `INVALID_REQUEST`; metadata `project`, `instance_id` and `upstream_request_id` where known).
 * INVALID_ARGUMENT also carries `google.rpc.BadRequest` field violations, and UNAVAILABLE or
 * RESOURCE_EXHAUSTED carry `google.rpc.RetryInfo` when MaxCompute said when to retry. Every RPC can
 * return UNAUTHENTICATED (missing or unknown bearer token), PERMISSION_DENIED (the token may not
 * use the project; checked before existence), UNAVAILABLE (MaxCompute unreachable or failing;
 * safe to retry for reads), DEADLINE_EXCEEDED and INTERNAL (a gateway bug; the message carries
 * a request id that also appears in the gateway's logs).
 */
export interface InstanceServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * GetInstance returns one instance with its tasks (PyODPS `get_instance` followed by `status`
   * and `get_task_statuses`): `GET /projects/{project}/instances/{id}` and `?taskstatus`. Reads of
   * terminated instances are served from the gateway's cache. Errors: NOT_FOUND when the
   * instance does not exist (reason `NoSuchObject`).
   */
  GetInstance: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetInstanceRequest__Output, _maxcompute_gateway_v1_GetInstanceResponse>;
  
  /**
   * GetLogviewAddress returns a Logview URL for an instance (PyODPS `get_logview_address`),
   * signed with a token from `POST /projects/{project}/authorization` valid for `hours`. Errors:
   * NOT_FOUND when absent; INVALID_ARGUMENT when `hours` is out of range.
   */
  GetLogviewAddress: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetLogviewAddressRequest__Output, _maxcompute_gateway_v1_GetLogviewAddressResponse>;
  
  /**
   * GetTaskProgress returns the stage progress of one task (PyODPS `get_task_progress`):
   * `GET /projects/{project}/instances/{id}?instanceprogress={task}&taskname={task}`. Errors:
   * NOT_FOUND when the instance is absent.
   */
  GetTaskProgress: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetTaskProgressRequest__Output, _maxcompute_gateway_v1_GetTaskProgressResponse>;
  
  /**
   * GetTaskResult returns the result of one task (PyODPS `get_task_result`):
   * `GET /projects/{project}/instances/{id}?result`. Errors: NOT_FOUND when the instance or the
   * task is absent.
   */
  GetTaskResult: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetTaskResultRequest__Output, _maxcompute_gateway_v1_GetTaskResultResponse>;
  
  /**
   * GetTaskResults returns the results of every task, in task order (PyODPS `get_task_results`):
   * `GET /projects/{project}/instances/{id}?result`. Errors: NOT_FOUND when absent.
   */
  GetTaskResults: grpc.handleUnaryCall<_maxcompute_gateway_v1_GetTaskResultsRequest__Output, _maxcompute_gateway_v1_GetTaskResultsResponse>;
  
  /**
   * InstanceExists tells whether an instance exists (PyODPS `exist_instance`): a plain
   * `GET /projects/{project}/instances/{id}`, where MaxCompute's `NoSuchObject` becomes
   * `exists = false` rather than an error.
   */
  InstanceExists: grpc.handleUnaryCall<_maxcompute_gateway_v1_InstanceExistsRequest__Output, _maxcompute_gateway_v1_InstanceExistsResponse>;
  
  /**
   * ListInstances lists the instances of a project in MaxCompute's order, one page at a time (PyODPS
   * `list_instances`). It maps to `GET /projects/{project}/instances` with MaxCompute's
   * `marker`/`maxitems` paging behind an opaque page token. Errors: INVALID_ARGUMENT for a
   * negative page size, a malformed or mismatched page token, or an end time before the start
   * time.
   */
  ListInstances: grpc.handleUnaryCall<_maxcompute_gateway_v1_ListInstancesRequest__Output, _maxcompute_gateway_v1_ListInstancesResponse>;
  
  /**
   * ListSubInstances lists the sub-instances of an XFlow (PAI) instance with a Logview URL for
   * each (PyODPS `get_xflow_sub_instances`): `GET /projects/{project}/instances/{id}?xresult`.
   * Errors: NOT_FOUND when absent; FAILED_PRECONDITION when the instance is not an XFlow instance.
   */
  ListSubInstances: grpc.handleUnaryCall<_maxcompute_gateway_v1_ListSubInstancesRequest__Output, _maxcompute_gateway_v1_ListSubInstancesResponse>;
  
  /**
   * ListTasks lists the tasks of an instance with their statuses (PyODPS `get_task_names` and
   * `get_task_statuses`): `GET /projects/{project}/instances/{id}?taskstatus`. Errors: NOT_FOUND
   * when the instance is absent.
   */
  ListTasks: grpc.handleUnaryCall<_maxcompute_gateway_v1_ListTasksRequest__Output, _maxcompute_gateway_v1_ListTasksResponse>;
  
  /**
   * StopInstance stops a running instance (PyODPS `stop_instance`): `PUT
   * /projects/{project}/instances/{id}` with `<Status>Terminated</Status>`. Stopping is
   * asynchronous in MaxCompute; the returned instance is the latest state read after the stop
   * request and may still be running. Errors: NOT_FOUND when absent; FAILED_PRECONDITION (reason
   * `InvalidStateSetting`) when the instance is not running, because MaxCompute only stops
   * running instances.
   */
  StopInstance: grpc.handleUnaryCall<_maxcompute_gateway_v1_StopInstanceRequest__Output, _maxcompute_gateway_v1_StopInstanceResponse>;
  
  /**
   * SubmitSql submits a SQL query as a new instance with one `AnonymousSQLTask` (PyODPS
   * `run_sql`): `POST /projects/{project}/instances`. It returns as soon as MaxCompute accepted
   * the job; use WaitInstance or WatchInstance to follow it. A retried call with the same
   * `request_id` returns the instance the first call created instead of a duplicate. Errors:
   * INVALID_ARGUMENT for an empty or oversized query or bad hints.
   */
  SubmitSql: grpc.handleUnaryCall<_maxcompute_gateway_v1_SubmitSqlRequest__Output, _maxcompute_gateway_v1_SubmitSqlResponse>;
  
  /**
   * SubmitXflow submits an XFlow (PAI algorithm) job as a new instance (PyODPS `run_xflow`):
   * `POST /projects/{project}/instances` with an `<XflowInstance>` job. Errors: INVALID_ARGUMENT
   * for a missing XFlow name or bad parameters.
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
   * full snapshot (event type SNAPSHOT); then one message per status, task status or progress
   * change (and heartbeats when asked); the last message has event type TERMINAL and the final
   * state, after which the stream ends with OK. For an instance that has already terminated the
   * TERMINAL message is the snapshot and the only message. A reconnecting client gets a new snapshot, so it
   * never misses the terminal state. All watchers of one instance share one upstream poller.
   * Errors: NOT_FOUND when absent; UNAVAILABLE when the gateway shuts down, the stream reaches
   * its maximum age (reconnect), or MaxCompute gave no first state within the gateway's
   * snapshot timeout (reason `UPSTREAM_UNAVAILABLE`, with the last upstream error code in
   * metadata `upstream_code`).
   */
  WatchInstance: grpc.handleServerStreamingCall<_maxcompute_gateway_v1_WatchInstanceRequest__Output, _maxcompute_gateway_v1_WatchInstanceResponse>;
  
  /**
   * WatchInstances streams instance changes in a project: first an ADDED event for every
   * matching instance and one SNAPSHOT_END event, then ADDED, CHANGED and TERMINATED events as
   * the project's instance list changes, until the client cancels. It polls
   * `GET /projects/{project}/instances` on the gateway's base cadence. Errors: UNAVAILABLE when
   * the gateway shuts down, the stream reaches its maximum age (reconnect), or the first listing
   * failed for the gateway's snapshot timeout (reason `UPSTREAM_UNAVAILABLE`).
   */
  WatchInstances: grpc.handleServerStreamingCall<_maxcompute_gateway_v1_WatchInstancesRequest__Output, _maxcompute_gateway_v1_WatchInstancesResponse>;
  
}

export interface InstanceServiceDefinition extends grpc.ServiceDefinition {
  GetInstance: MethodDefinition<_maxcompute_gateway_v1_GetInstanceRequest, _maxcompute_gateway_v1_GetInstanceResponse, _maxcompute_gateway_v1_GetInstanceRequest__Output, _maxcompute_gateway_v1_GetInstanceResponse__Output>
  GetLogviewAddress: MethodDefinition<_maxcompute_gateway_v1_GetLogviewAddressRequest, _maxcompute_gateway_v1_GetLogviewAddressResponse, _maxcompute_gateway_v1_GetLogviewAddressRequest__Output, _maxcompute_gateway_v1_GetLogviewAddressResponse__Output>
  GetTaskProgress: MethodDefinition<_maxcompute_gateway_v1_GetTaskProgressRequest, _maxcompute_gateway_v1_GetTaskProgressResponse, _maxcompute_gateway_v1_GetTaskProgressRequest__Output, _maxcompute_gateway_v1_GetTaskProgressResponse__Output>
  GetTaskResult: MethodDefinition<_maxcompute_gateway_v1_GetTaskResultRequest, _maxcompute_gateway_v1_GetTaskResultResponse, _maxcompute_gateway_v1_GetTaskResultRequest__Output, _maxcompute_gateway_v1_GetTaskResultResponse__Output>
  GetTaskResults: MethodDefinition<_maxcompute_gateway_v1_GetTaskResultsRequest, _maxcompute_gateway_v1_GetTaskResultsResponse, _maxcompute_gateway_v1_GetTaskResultsRequest__Output, _maxcompute_gateway_v1_GetTaskResultsResponse__Output>
  InstanceExists: MethodDefinition<_maxcompute_gateway_v1_InstanceExistsRequest, _maxcompute_gateway_v1_InstanceExistsResponse, _maxcompute_gateway_v1_InstanceExistsRequest__Output, _maxcompute_gateway_v1_InstanceExistsResponse__Output>
  ListInstances: MethodDefinition<_maxcompute_gateway_v1_ListInstancesRequest, _maxcompute_gateway_v1_ListInstancesResponse, _maxcompute_gateway_v1_ListInstancesRequest__Output, _maxcompute_gateway_v1_ListInstancesResponse__Output>
  ListSubInstances: MethodDefinition<_maxcompute_gateway_v1_ListSubInstancesRequest, _maxcompute_gateway_v1_ListSubInstancesResponse, _maxcompute_gateway_v1_ListSubInstancesRequest__Output, _maxcompute_gateway_v1_ListSubInstancesResponse__Output>
  ListTasks: MethodDefinition<_maxcompute_gateway_v1_ListTasksRequest, _maxcompute_gateway_v1_ListTasksResponse, _maxcompute_gateway_v1_ListTasksRequest__Output, _maxcompute_gateway_v1_ListTasksResponse__Output>
  StopInstance: MethodDefinition<_maxcompute_gateway_v1_StopInstanceRequest, _maxcompute_gateway_v1_StopInstanceResponse, _maxcompute_gateway_v1_StopInstanceRequest__Output, _maxcompute_gateway_v1_StopInstanceResponse__Output>
  SubmitSql: MethodDefinition<_maxcompute_gateway_v1_SubmitSqlRequest, _maxcompute_gateway_v1_SubmitSqlResponse, _maxcompute_gateway_v1_SubmitSqlRequest__Output, _maxcompute_gateway_v1_SubmitSqlResponse__Output>
  SubmitXflow: MethodDefinition<_maxcompute_gateway_v1_SubmitXflowRequest, _maxcompute_gateway_v1_SubmitXflowResponse, _maxcompute_gateway_v1_SubmitXflowRequest__Output, _maxcompute_gateway_v1_SubmitXflowResponse__Output>
  WaitInstance: MethodDefinition<_maxcompute_gateway_v1_WaitInstanceRequest, _maxcompute_gateway_v1_WaitInstanceResponse, _maxcompute_gateway_v1_WaitInstanceRequest__Output, _maxcompute_gateway_v1_WaitInstanceResponse__Output>
  WatchInstance: MethodDefinition<_maxcompute_gateway_v1_WatchInstanceRequest, _maxcompute_gateway_v1_WatchInstanceResponse, _maxcompute_gateway_v1_WatchInstanceRequest__Output, _maxcompute_gateway_v1_WatchInstanceResponse__Output>
  WatchInstances: MethodDefinition<_maxcompute_gateway_v1_WatchInstancesRequest, _maxcompute_gateway_v1_WatchInstancesResponse, _maxcompute_gateway_v1_WatchInstancesRequest__Output, _maxcompute_gateway_v1_WatchInstancesResponse__Output>
}
