// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * GetQueueingInfoRequest names the instance whose place in the queue to read.
 */
export interface GetQueueingInfoRequest {
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
 * GetQueueingInfoRequest names the instance whose place in the queue to read.
 */
export interface GetQueueingInfoRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the instance.
   */
  'instance_id': (string);
}
