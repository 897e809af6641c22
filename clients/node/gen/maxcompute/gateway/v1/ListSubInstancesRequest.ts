// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * ListSubInstancesRequest names the XFlow instance.
 */
export interface ListSubInstancesRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the XFlow instance.
   */
  'instance_id'?: (string);
}

/**
 * ListSubInstancesRequest names the XFlow instance.
 */
export interface ListSubInstancesRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the XFlow instance.
   */
  'instance_id': (string);
}
