// Original file: maxcompute/gateway/v1/instance.proto

import type { Status as _maxcompute_gateway_v1_Status, Status__Output as _maxcompute_gateway_v1_Status__Output } from '../../../maxcompute/gateway/v1/Status.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Task as _maxcompute_gateway_v1_Task, Task__Output as _maxcompute_gateway_v1_Task__Output } from '../../../maxcompute/gateway/v1/Task.js';

/**
 * Instance is one MaxCompute job instance: a job of one or more tasks submitted to a project. It
 * is assembled from `GET /projects/{project}/instances/{id}` (status, owner, times) and
 * `?taskstatus` (tasks).
 */
export interface Instance {
  /**
   * The MaxCompute project the instance belongs to, for example `demo`.
   */
  'project'?: (string);
  /**
   * The instance id as MaxCompute assigns it, for example `20160519101349613gzbzufck2`.
   */
  'id'?: (string);
  /**
   * The lifecycle state of the instance. Never STATUS_UNSPECIFIED in a response.
   */
  'status'?: (_maxcompute_gateway_v1_Status);
  /**
   * The account that submitted the instance, for example `ALIYUN$user@example.com` (the
   * `x-odps-owner` header). Empty when MaxCompute did not report it.
   */
  'owner'?: (string);
  /**
   * When the instance started (the `x-odps-start-time` header), in UTC. Unset when unknown.
   */
  'start_time'?: (_google_protobuf_Timestamp | null);
  /**
   * When the instance terminated (the `x-odps-end-time` header), in UTC. Unset while it runs.
   */
  'end_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The tasks of the instance in submission order, from `?taskstatus`. Empty in
   * ListInstances responses, which MaxCompute answers without task details; call GetInstance or
   * ListTasks for them.
   */
  'tasks'?: (_maxcompute_gateway_v1_Task)[];
  /**
   * True when the instance is terminated and every task ended in TASK_STATUS_SUCCESS (PyODPS
   * `is_successful()`). False while the instance runs, and in ListInstances responses.
   */
  'successful'?: (boolean);
  /**
   * Why a terminated instance did not succeed, as PyODPS `wait_for_success()` reports it: the
   * result text of the first failed task (for example `ODPS-0130161:[1,8] Parse exception ...`),
   * or `{task}, status=CANCELLED` when the first unsuccessful task was cancelled (a stopped
   * instance). Empty while the instance runs, when it succeeded, and in ListInstances responses.
   */
  'failure_message'?: (string);
  /**
   * The job priority (0 is the highest, 9 the MaxCompute default), when MaxCompute reported it;
   * 0 with `priority_known` false otherwise.
   */
  'priority'?: (number);
  /**
   * Whether `priority` was reported by MaxCompute.
   */
  'priority_known'?: (boolean);
}

/**
 * Instance is one MaxCompute job instance: a job of one or more tasks submitted to a project. It
 * is assembled from `GET /projects/{project}/instances/{id}` (status, owner, times) and
 * `?taskstatus` (tasks).
 */
export interface Instance__Output {
  /**
   * The MaxCompute project the instance belongs to, for example `demo`.
   */
  'project': (string);
  /**
   * The instance id as MaxCompute assigns it, for example `20160519101349613gzbzufck2`.
   */
  'id': (string);
  /**
   * The lifecycle state of the instance. Never STATUS_UNSPECIFIED in a response.
   */
  'status': (_maxcompute_gateway_v1_Status__Output);
  /**
   * The account that submitted the instance, for example `ALIYUN$user@example.com` (the
   * `x-odps-owner` header). Empty when MaxCompute did not report it.
   */
  'owner': (string);
  /**
   * When the instance started (the `x-odps-start-time` header), in UTC. Unset when unknown.
   */
  'start_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the instance terminated (the `x-odps-end-time` header), in UTC. Unset while it runs.
   */
  'end_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The tasks of the instance in submission order, from `?taskstatus`. Empty in
   * ListInstances responses, which MaxCompute answers without task details; call GetInstance or
   * ListTasks for them.
   */
  'tasks': (_maxcompute_gateway_v1_Task__Output)[];
  /**
   * True when the instance is terminated and every task ended in TASK_STATUS_SUCCESS (PyODPS
   * `is_successful()`). False while the instance runs, and in ListInstances responses.
   */
  'successful': (boolean);
  /**
   * Why a terminated instance did not succeed, as PyODPS `wait_for_success()` reports it: the
   * result text of the first failed task (for example `ODPS-0130161:[1,8] Parse exception ...`),
   * or `{task}, status=CANCELLED` when the first unsuccessful task was cancelled (a stopped
   * instance). Empty while the instance runs, when it succeeded, and in ListInstances responses.
   */
  'failure_message': (string);
  /**
   * The job priority (0 is the highest, 9 the MaxCompute default), when MaxCompute reported it;
   * 0 with `priority_known` false otherwise.
   */
  'priority': (number);
  /**
   * Whether `priority` was reported by MaxCompute.
   */
  'priority_known': (boolean);
}
