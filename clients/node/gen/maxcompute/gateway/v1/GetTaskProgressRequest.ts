// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * GetTaskProgressRequest names the task whose progress to read.
 */
export interface GetTaskProgressRequest {
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
 * GetTaskProgressRequest names the task whose progress to read.
 */
export interface GetTaskProgressRequest__Output {
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
