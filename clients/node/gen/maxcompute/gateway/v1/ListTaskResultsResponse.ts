// Original file: maxcompute/gateway/v1/instance_service.proto

import type { TaskResult as _maxcompute_gateway_v1_TaskResult, TaskResult__Output as _maxcompute_gateway_v1_TaskResult__Output } from '../../../maxcompute/gateway/v1/TaskResult.js';

/**
 * ListTaskResultsResponse is one page of task results.
 */
export interface ListTaskResultsResponse {
  /**
   * One result per task, in task order (PyODPS returns them as an ordered dict).
   */
  'task_results'?: (_maxcompute_gateway_v1_TaskResult)[];
  /**
   * The token for the next page, or empty when this is the last page.
   */
  'next_page_token'?: (string);
}

/**
 * ListTaskResultsResponse is one page of task results.
 */
export interface ListTaskResultsResponse__Output {
  /**
   * One result per task, in task order (PyODPS returns them as an ordered dict).
   */
  'task_results': (_maxcompute_gateway_v1_TaskResult__Output)[];
  /**
   * The token for the next page, or empty when this is the last page.
   */
  'next_page_token': (string);
}
