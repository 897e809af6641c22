// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * InstanceExistsResponse says whether the instance exists.
 */
export interface InstanceExistsResponse {
  /**
   * True when MaxCompute knows the instance, false when it answered `NoSuchObject`.
   */
  'exists'?: (boolean);
}

/**
 * InstanceExistsResponse says whether the instance exists.
 */
export interface InstanceExistsResponse__Output {
  /**
   * True when MaxCompute knows the instance, false when it answered `NoSuchObject`.
   */
  'exists': (boolean);
}
