// Original file: maxcompute/gateway/v1/instance.proto

/**
 * TaskStatus is the state of one task inside an instance, as returned by
 * `GET /projects/{project}/instances/{id}?taskstatus`.
 */
export const TaskStatus = {
  /**
   * The task status is not set; never sent by the gateway.
   */
  TASK_STATUS_UNSPECIFIED: 'TASK_STATUS_UNSPECIFIED',
  /**
   * The task is queued and has not started (MaxCompute `Waiting`).
   */
  TASK_STATUS_WAITING: 'TASK_STATUS_WAITING',
  /**
   * The task is running (MaxCompute `Running`).
   */
  TASK_STATUS_RUNNING: 'TASK_STATUS_RUNNING',
  /**
   * The task finished successfully (MaxCompute `Success`).
   */
  TASK_STATUS_SUCCESS: 'TASK_STATUS_SUCCESS',
  /**
   * The task failed (MaxCompute `Failed`); `Instance.failure_message` carries the reason.
   */
  TASK_STATUS_FAILED: 'TASK_STATUS_FAILED',
  /**
   * The task is suspended (MaxCompute `Suspended`).
   */
  TASK_STATUS_SUSPENDED: 'TASK_STATUS_SUSPENDED',
  /**
   * The task was cancelled, normally because the instance was stopped (MaxCompute `Cancelled`).
   */
  TASK_STATUS_CANCELLED: 'TASK_STATUS_CANCELLED',
} as const;

/**
 * TaskStatus is the state of one task inside an instance, as returned by
 * `GET /projects/{project}/instances/{id}?taskstatus`.
 */
export type TaskStatus =
  /**
   * The task status is not set; never sent by the gateway.
   */
  | 'TASK_STATUS_UNSPECIFIED'
  | 0
  /**
   * The task is queued and has not started (MaxCompute `Waiting`).
   */
  | 'TASK_STATUS_WAITING'
  | 1
  /**
   * The task is running (MaxCompute `Running`).
   */
  | 'TASK_STATUS_RUNNING'
  | 2
  /**
   * The task finished successfully (MaxCompute `Success`).
   */
  | 'TASK_STATUS_SUCCESS'
  | 3
  /**
   * The task failed (MaxCompute `Failed`); `Instance.failure_message` carries the reason.
   */
  | 'TASK_STATUS_FAILED'
  | 4
  /**
   * The task is suspended (MaxCompute `Suspended`).
   */
  | 'TASK_STATUS_SUSPENDED'
  | 5
  /**
   * The task was cancelled, normally because the instance was stopped (MaxCompute `Cancelled`).
   */
  | 'TASK_STATUS_CANCELLED'
  | 6

/**
 * TaskStatus is the state of one task inside an instance, as returned by
 * `GET /projects/{project}/instances/{id}?taskstatus`.
 */
export type TaskStatus__Output = typeof TaskStatus[keyof typeof TaskStatus]
