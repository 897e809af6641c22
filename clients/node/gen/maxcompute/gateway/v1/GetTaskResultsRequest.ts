// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * GetTaskResultsRequest names the instance whose task results to read.
 */
export interface GetTaskResultsRequest {
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
 * GetTaskResultsRequest names the instance whose task results to read.
 */
export interface GetTaskResultsRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the instance.
   */
  'instance_id': (string);
}
