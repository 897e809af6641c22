// Original file: maxcompute/gateway/v1/instance.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';

// Original file: maxcompute/gateway/v1/instance.proto

/**
 * State is the state of one task, as `GET /projects/{project}/instances/{id}?taskstatus`
 * reports it.
 */
export const _maxcompute_gateway_v1_Task_State = {
  /**
   * The state is not set; never sent by the gateway.
   */
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  /**
   * The task is queued and has not started (MaxCompute `Waiting`).
   */
  WAITING: 'WAITING',
  /**
   * The task is running (MaxCompute `Running`).
   */
  RUNNING: 'RUNNING',
  /**
   * The task finished successfully (MaxCompute `Success`).
   */
  SUCCEEDED: 'SUCCEEDED',
  /**
   * The task failed (MaxCompute `Failed`); `Instance.failure_message` carries the reason.
   */
  FAILED: 'FAILED',
  /**
   * The task is suspended (MaxCompute `Suspended`).
   */
  SUSPENDED: 'SUSPENDED',
  /**
   * The task was cancelled, normally because the instance was stopped (MaxCompute `Cancelled`).
   */
  CANCELLED: 'CANCELLED',
} as const;

/**
 * State is the state of one task, as `GET /projects/{project}/instances/{id}?taskstatus`
 * reports it.
 */
export type _maxcompute_gateway_v1_Task_State =
  /**
   * The state is not set; never sent by the gateway.
   */
  | 'STATE_UNSPECIFIED'
  | 0
  /**
   * The task is queued and has not started (MaxCompute `Waiting`).
   */
  | 'WAITING'
  | 1
  /**
   * The task is running (MaxCompute `Running`).
   */
  | 'RUNNING'
  | 2
  /**
   * The task finished successfully (MaxCompute `Success`).
   */
  | 'SUCCEEDED'
  | 3
  /**
   * The task failed (MaxCompute `Failed`); `Instance.failure_message` carries the reason.
   */
  | 'FAILED'
  | 4
  /**
   * The task is suspended (MaxCompute `Suspended`).
   */
  | 'SUSPENDED'
  | 5
  /**
   * The task was cancelled, normally because the instance was stopped (MaxCompute `Cancelled`).
   */
  | 'CANCELLED'
  | 6

/**
 * State is the state of one task, as `GET /projects/{project}/instances/{id}?taskstatus`
 * reports it.
 */
export type _maxcompute_gateway_v1_Task_State__Output = typeof _maxcompute_gateway_v1_Task_State[keyof typeof _maxcompute_gateway_v1_Task_State]

/**
 * Task is one task of an instance, for example the `AnonymousSQLTask` of a SQL job. Every field
 * is set by the gateway.
 */
export interface Task {
  /**
   * The task name, MaxCompute's identifier of the task within its instance, for example
   * `AnonymousSQLTask`.
   */
  'name'?: (string);
  /**
   * The task type as MaxCompute names it, for example `SQL` or `AlgoTask`.
   */
  'type'?: (string);
  /**
   * The state of the task. Never STATE_UNSPECIFIED.
   */
  'state'?: (_maxcompute_gateway_v1_Task_State);
  /**
   * When the task started, in UTC. Unset when it has not started or MaxCompute did not say.
   */
  'start_time'?: (_google_protobuf_Timestamp | null);
  /**
   * When the task ended, in UTC. Unset while it waits or runs.
   */
  'end_time'?: (_google_protobuf_Timestamp | null);
}

/**
 * Task is one task of an instance, for example the `AnonymousSQLTask` of a SQL job. Every field
 * is set by the gateway.
 */
export interface Task__Output {
  /**
   * The task name, MaxCompute's identifier of the task within its instance, for example
   * `AnonymousSQLTask`.
   */
  'name': (string);
  /**
   * The task type as MaxCompute names it, for example `SQL` or `AlgoTask`.
   */
  'type': (string);
  /**
   * The state of the task. Never STATE_UNSPECIFIED.
   */
  'state': (_maxcompute_gateway_v1_Task_State__Output);
  /**
   * When the task started, in UTC. Unset when it has not started or MaxCompute did not say.
   */
  'start_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the task ended, in UTC. Unset while it waits or runs.
   */
  'end_time': (_google_protobuf_Timestamp__Output | null);
}
