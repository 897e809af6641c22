// Original file: maxcompute/gateway/v1/instance.proto

import type { TaskStatus as _maxcompute_gateway_v1_TaskStatus, TaskStatus__Output as _maxcompute_gateway_v1_TaskStatus__Output } from '../../../maxcompute/gateway/v1/TaskStatus.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';

/**
 * Task is one task of an instance, for example the `AnonymousSQLTask` of a SQL job.
 */
export interface Task {
  /**
   * The task name, unique within its instance, for example `AnonymousSQLTask`.
   */
  'name'?: (string);
  /**
   * The task type as MaxCompute names it, for example `SQL` or `AlgoTask`.
   */
  'type'?: (string);
  /**
   * The state of the task.
   */
  'status'?: (_maxcompute_gateway_v1_TaskStatus);
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
 * Task is one task of an instance, for example the `AnonymousSQLTask` of a SQL job.
 */
export interface Task__Output {
  /**
   * The task name, unique within its instance, for example `AnonymousSQLTask`.
   */
  'name': (string);
  /**
   * The task type as MaxCompute names it, for example `SQL` or `AlgoTask`.
   */
  'type': (string);
  /**
   * The state of the task.
   */
  'status': (_maxcompute_gateway_v1_TaskStatus__Output);
  /**
   * When the task started, in UTC. Unset when it has not started or MaxCompute did not say.
   */
  'start_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the task ended, in UTC. Unset while it waits or runs.
   */
  'end_time': (_google_protobuf_Timestamp__Output | null);
}
