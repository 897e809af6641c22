// Original file: maxcompute/gateway/v1/instance_service.proto

import type { TaskProgress as _maxcompute_gateway_v1_TaskProgress, TaskProgress__Output as _maxcompute_gateway_v1_TaskProgress__Output } from '../../../maxcompute/gateway/v1/TaskProgress.js';

/**
 * GetTaskProgressResponse carries one task's progress.
 */
export interface GetTaskProgressResponse {
  /**
   * The stage progress of the task.
   */
  'progress'?: (_maxcompute_gateway_v1_TaskProgress | null);
}

/**
 * GetTaskProgressResponse carries one task's progress.
 */
export interface GetTaskProgressResponse__Output {
  /**
   * The stage progress of the task.
   */
  'progress': (_maxcompute_gateway_v1_TaskProgress__Output | null);
}
