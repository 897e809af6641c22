// Original file: maxcompute/gateway/v1/instance_service.proto

import type { TaskResult as _maxcompute_gateway_v1_TaskResult, TaskResult__Output as _maxcompute_gateway_v1_TaskResult__Output } from '../../../maxcompute/gateway/v1/TaskResult.js';

/**
 * GetTaskResultsResponse carries every task result.
 */
export interface GetTaskResultsResponse {
  /**
   * One result per task, in task order (PyODPS returns them as an ordered dict).
   */
  'results'?: (_maxcompute_gateway_v1_TaskResult)[];
}

/**
 * GetTaskResultsResponse carries every task result.
 */
export interface GetTaskResultsResponse__Output {
  /**
   * One result per task, in task order (PyODPS returns them as an ordered dict).
   */
  'results': (_maxcompute_gateway_v1_TaskResult__Output)[];
}
