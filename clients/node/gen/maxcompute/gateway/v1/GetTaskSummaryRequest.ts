// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * GetTaskSummaryRequest names the task whose summary to read.
 */
export interface GetTaskSummaryRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the instance.
   */
  'instance_id'?: (string);
  /**
   * The task name, for example `AnonymousSQLTask`.
   */
  'task_name'?: (string);
}

/**
 * GetTaskSummaryRequest names the task whose summary to read.
 */
export interface GetTaskSummaryRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the instance.
   */
  'instance_id': (string);
  /**
   * The task name, for example `AnonymousSQLTask`.
   */
  'task_name': (string);
}
