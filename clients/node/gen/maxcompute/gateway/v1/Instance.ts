// Original file: maxcompute/gateway/v1/instance.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Task as _maxcompute_gateway_v1_Task, Task__Output as _maxcompute_gateway_v1_Task__Output } from '../../../maxcompute/gateway/v1/Task.js';

// Original file: maxcompute/gateway/v1/instance.proto

/**
 * State is the lifecycle state of a MaxCompute instance, the `<Status>` element of
 * `GET /projects/{project}/instances/{id}`. MaxCompute has exactly these three; whether a
 * terminated instance succeeded is the separate `Instance.successful`, as BigQuery keeps a
 * job's state apart from its error result.
 */
export const _maxcompute_gateway_v1_Instance_State = {
  /**
   * The state is not set. The gateway never sends it in an instance; each request filter says
   * what it means there (any state for ListInstances, running instances for WatchInstances).
   */
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  /**
   * The instance is running (MaxCompute `Running`): at least one task has not finished.
   */
  RUNNING: 'RUNNING',
  /**
   * The instance is suspended (MaxCompute `Suspended`): paused by the service; it may resume.
   */
  SUSPENDED: 'SUSPENDED',
  /**
   * The instance has terminated (MaxCompute `Terminated`): every task has finished, failed or
   * been cancelled. A terminated instance never changes again.
   */
  TERMINATED: 'TERMINATED',
} as const;

/**
 * State is the lifecycle state of a MaxCompute instance, the `<Status>` element of
 * `GET /projects/{project}/instances/{id}`. MaxCompute has exactly these three; whether a
 * terminated instance succeeded is the separate `Instance.successful`, as BigQuery keeps a
 * job's state apart from its error result.
 */
export type _maxcompute_gateway_v1_Instance_State =
  /**
   * The state is not set. The gateway never sends it in an instance; each request filter says
   * what it means there (any state for ListInstances, running instances for WatchInstances).
   */
  | 'STATE_UNSPECIFIED'
  | 0
  /**
   * The instance is running (MaxCompute `Running`): at least one task has not finished.
   */
  | 'RUNNING'
  | 1
  /**
   * The instance is suspended (MaxCompute `Suspended`): paused by the service; it may resume.
   */
  | 'SUSPENDED'
  | 2
  /**
   * The instance has terminated (MaxCompute `Terminated`): every task has finished, failed or
   * been cancelled. A terminated instance never changes again.
   */
  | 'TERMINATED'
  | 3

/**
 * State is the lifecycle state of a MaxCompute instance, the `<Status>` element of
 * `GET /projects/{project}/instances/{id}`. MaxCompute has exactly these three; whether a
 * terminated instance succeeded is the separate `Instance.successful`, as BigQuery keeps a
 * job's state apart from its error result.
 */
export type _maxcompute_gateway_v1_Instance_State__Output = typeof _maxcompute_gateway_v1_Instance_State[keyof typeof _maxcompute_gateway_v1_Instance_State]

/**
 * Instance is one MaxCompute job instance: a job of one or more tasks submitted to a project. It
 * is assembled from `GET /projects/{project}/instances/{id}` (state, owner, times) and
 * `?taskstatus` (tasks). Every field is set by the gateway.
 */
export interface Instance {
  /**
   * The MaxCompute project the instance belongs to, for example `demo`.
   */
  'project'?: (string);
  /**
   * The instance id as MaxCompute assigns it, for example `20160519101349613gzbzufck2`.
   */
  'instance_id'?: (string);
  /**
   * The lifecycle state of the instance. Never STATE_UNSPECIFIED.
   */
  'state'?: (_maxcompute_gateway_v1_Instance_State);
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
   * The tasks of the instance in submission order, from `?taskstatus`. Empty in ListInstances
   * and WatchInstances responses, which MaxCompute answers without task details; call
   * GetInstance or ListTasks for them.
   */
  'tasks'?: (_maxcompute_gateway_v1_Task)[];
  /**
   * Whether the instance succeeded (PyODPS `is_successful()`): true when it terminated and every
   * task ended in SUCCEEDED, false when it terminated otherwise. Unset while it runs or is
   * suspended, and wherever the tasks were not read (ListInstances, WatchInstances), because
   * the outcome is then unknown.
   */
  'successful'?: (boolean);
  /**
   * Why a terminated instance did not succeed, as PyODPS `wait_for_success()` reports it: the
   * result text of the first failed task (for example `ODPS-0130161:[1,8] Parse exception ...`),
   * or `{task}, status=CANCELLED` when the first unsuccessful task was cancelled (a stopped
   * instance). Empty unless `successful` is false.
   */
  'failure_message'?: (string);
  /**
   * The job priority, 0 (highest) to 9 (the MaxCompute default). Unset when MaxCompute did not
   * report it.
   */
  'priority'?: (number);
  '_successful'?: "successful";
  '_priority'?: "priority";
}

/**
 * Instance is one MaxCompute job instance: a job of one or more tasks submitted to a project. It
 * is assembled from `GET /projects/{project}/instances/{id}` (state, owner, times) and
 * `?taskstatus` (tasks). Every field is set by the gateway.
 */
export interface Instance__Output {
  /**
   * The MaxCompute project the instance belongs to, for example `demo`.
   */
  'project': (string);
  /**
   * The instance id as MaxCompute assigns it, for example `20160519101349613gzbzufck2`.
   */
  'instance_id': (string);
  /**
   * The lifecycle state of the instance. Never STATE_UNSPECIFIED.
   */
  'state': (_maxcompute_gateway_v1_Instance_State__Output);
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
   * The tasks of the instance in submission order, from `?taskstatus`. Empty in ListInstances
   * and WatchInstances responses, which MaxCompute answers without task details; call
   * GetInstance or ListTasks for them.
   */
  'tasks': (_maxcompute_gateway_v1_Task__Output)[];
  /**
   * Whether the instance succeeded (PyODPS `is_successful()`): true when it terminated and every
   * task ended in SUCCEEDED, false when it terminated otherwise. Unset while it runs or is
   * suspended, and wherever the tasks were not read (ListInstances, WatchInstances), because
   * the outcome is then unknown.
   */
  'successful'?: (boolean);
  /**
   * Why a terminated instance did not succeed, as PyODPS `wait_for_success()` reports it: the
   * result text of the first failed task (for example `ODPS-0130161:[1,8] Parse exception ...`),
   * or `{task}, status=CANCELLED` when the first unsuccessful task was cancelled (a stopped
   * instance). Empty unless `successful` is false.
   */
  'failure_message': (string);
  /**
   * The job priority, 0 (highest) to 9 (the MaxCompute default). Unset when MaxCompute did not
   * report it.
   */
  'priority'?: (number);
}
