// Original file: maxcompute/gateway/v1/instance.proto

/**
 * Status is the lifecycle state of a MaxCompute instance, as returned in the `<Status>` element of
 * `GET /projects/{project}/instances/{id}`. MaxCompute itself has exactly three states; whether a
 * terminated instance succeeded is given separately by `Instance.successful`.
 */
export const Status = {
  /**
   * The status is not set. In a request filter it means "any status"; it never appears in a response.
   */
  STATUS_UNSPECIFIED: 'STATUS_UNSPECIFIED',
  /**
   * The instance is running (MaxCompute `Running`): at least one task has not finished.
   */
  STATUS_RUNNING: 'STATUS_RUNNING',
  /**
   * The instance is suspended (MaxCompute `Suspended`): it is paused by the service and may resume.
   */
  STATUS_SUSPENDED: 'STATUS_SUSPENDED',
  /**
   * The instance has terminated (MaxCompute `Terminated`): every task has finished, failed or been
   * cancelled. A terminated instance never changes again.
   */
  STATUS_TERMINATED: 'STATUS_TERMINATED',
} as const;

/**
 * Status is the lifecycle state of a MaxCompute instance, as returned in the `<Status>` element of
 * `GET /projects/{project}/instances/{id}`. MaxCompute itself has exactly three states; whether a
 * terminated instance succeeded is given separately by `Instance.successful`.
 */
export type Status =
  /**
   * The status is not set. In a request filter it means "any status"; it never appears in a response.
   */
  | 'STATUS_UNSPECIFIED'
  | 0
  /**
   * The instance is running (MaxCompute `Running`): at least one task has not finished.
   */
  | 'STATUS_RUNNING'
  | 1
  /**
   * The instance is suspended (MaxCompute `Suspended`): it is paused by the service and may resume.
   */
  | 'STATUS_SUSPENDED'
  | 2
  /**
   * The instance has terminated (MaxCompute `Terminated`): every task has finished, failed or been
   * cancelled. A terminated instance never changes again.
   */
  | 'STATUS_TERMINATED'
  | 3

/**
 * Status is the lifecycle state of a MaxCompute instance, as returned in the `<Status>` element of
 * `GET /projects/{project}/instances/{id}`. MaxCompute itself has exactly three states; whether a
 * terminated instance succeeded is given separately by `Instance.successful`.
 */
export type Status__Output = typeof Status[keyof typeof Status]
