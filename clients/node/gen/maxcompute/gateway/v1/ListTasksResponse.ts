// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Task as _maxcompute_gateway_v1_Task, Task__Output as _maxcompute_gateway_v1_Task__Output } from '../../../maxcompute/gateway/v1/Task.js';

/**
 * ListTasksResponse carries the tasks of the instance.
 */
export interface ListTasksResponse {
  /**
   * The tasks in submission order (their names are PyODPS `get_task_names()`).
   */
  'tasks'?: (_maxcompute_gateway_v1_Task)[];
}

/**
 * ListTasksResponse carries the tasks of the instance.
 */
export interface ListTasksResponse__Output {
  /**
   * The tasks in submission order (their names are PyODPS `get_task_names()`).
   */
  'tasks': (_maxcompute_gateway_v1_Task__Output)[];
}
