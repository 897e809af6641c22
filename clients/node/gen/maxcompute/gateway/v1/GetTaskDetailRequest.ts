// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * GetTaskDetailRequest names the task whose detail to read.
 */
export interface GetTaskDetailRequest {
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
 * GetTaskDetailRequest names the task whose detail to read.
 */
export interface GetTaskDetailRequest__Output {
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
