// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * ListTasksRequest names the instance whose tasks to list.
 */
export interface ListTasksRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the instance.
   */
  'instance_id'?: (string);
}

/**
 * ListTasksRequest names the instance whose tasks to list.
 */
export interface ListTasksRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the instance.
   */
  'instance_id': (string);
}
