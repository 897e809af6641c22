// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * StopInstanceRequest names the instance to stop.
 */
export interface StopInstanceRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the running instance to stop.
   */
  'instance_id'?: (string);
}

/**
 * StopInstanceRequest names the instance to stop.
 */
export interface StopInstanceRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the running instance to stop.
   */
  'instance_id': (string);
}
