// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * InstanceExistsRequest names the instance to look for.
 */
export interface InstanceExistsRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The instance id to look for.
   */
  'instance_id'?: (string);
}

/**
 * InstanceExistsRequest names the instance to look for.
 */
export interface InstanceExistsRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The instance id to look for.
   */
  'instance_id': (string);
}
