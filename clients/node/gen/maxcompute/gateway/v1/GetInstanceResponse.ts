// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';

/**
 * GetInstanceResponse carries the instance.
 */
export interface GetInstanceResponse {
  /**
   * The instance with its tasks.
   */
  'instance'?: (_maxcompute_gateway_v1_Instance | null);
}

/**
 * GetInstanceResponse carries the instance.
 */
export interface GetInstanceResponse__Output {
  /**
   * The instance with its tasks.
   */
  'instance': (_maxcompute_gateway_v1_Instance__Output | null);
}
