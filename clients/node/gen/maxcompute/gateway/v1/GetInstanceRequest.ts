// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * GetInstanceRequest names the instance to read.
 */
export interface GetInstanceRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The instance id, for example `20160519101349613gzbzufck2`.
   */
  'instance_id'?: (string);
}

/**
 * GetInstanceRequest names the instance to read.
 */
export interface GetInstanceRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The instance id, for example `20160519101349613gzbzufck2`.
   */
  'instance_id': (string);
}
