// Original file: maxcompute/gateway/v1/instance_service.proto

import type { TaskResult as _maxcompute_gateway_v1_TaskResult, TaskResult__Output as _maxcompute_gateway_v1_TaskResult__Output } from '../../../maxcompute/gateway/v1/TaskResult.js';

/**
 * GetTaskResultResponse carries one task result.
 */
export interface GetTaskResultResponse {
  /**
   * The result of the task; empty content while the task has not finished.
   */
  'result'?: (_maxcompute_gateway_v1_TaskResult | null);
}

/**
 * GetTaskResultResponse carries one task result.
 */
export interface GetTaskResultResponse__Output {
  /**
   * The result of the task; empty content while the task has not finished.
   */
  'result': (_maxcompute_gateway_v1_TaskResult__Output | null);
}
