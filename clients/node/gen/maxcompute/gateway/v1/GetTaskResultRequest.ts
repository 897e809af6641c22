// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * GetTaskResultRequest names the task whose result to read.
 */
export interface GetTaskResultRequest {
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
 * GetTaskResultRequest names the task whose result to read.
 */
export interface GetTaskResultRequest__Output {
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
