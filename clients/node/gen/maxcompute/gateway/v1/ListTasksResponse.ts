// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Task as _maxcompute_gateway_v1_Task, Task__Output as _maxcompute_gateway_v1_Task__Output } from '../../../maxcompute/gateway/v1/Task.js';

/**
 * ListTasksResponse is one page of the instance's tasks.
 */
export interface ListTasksResponse {
  /**
   * The tasks in submission order (their names are PyODPS `get_task_names()`).
   */
  'tasks'?: (_maxcompute_gateway_v1_Task)[];
  /**
   * The token for the next page, or empty when this is the last page.
   */
  'next_page_token'?: (string);
}

/**
 * ListTasksResponse is one page of the instance's tasks.
 */
export interface ListTasksResponse__Output {
  /**
   * The tasks in submission order (their names are PyODPS `get_task_names()`).
   */
  'tasks': (_maxcompute_gateway_v1_Task__Output)[];
  /**
   * The token for the next page, or empty when this is the last page.
   */
  'next_page_token': (string);
}
