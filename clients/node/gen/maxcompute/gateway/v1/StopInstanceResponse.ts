// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';

/**
 * StopInstanceResponse carries the instance after the stop request.
 */
export interface StopInstanceResponse {
  /**
   * The latest state of the instance after MaxCompute accepted the stop; it may still be
   * running for a moment while its tasks are cancelled.
   */
  'instance'?: (_maxcompute_gateway_v1_Instance | null);
}

/**
 * StopInstanceResponse carries the instance after the stop request.
 */
export interface StopInstanceResponse__Output {
  /**
   * The latest state of the instance after MaxCompute accepted the stop; it may still be
   * running for a moment while its tasks are cancelled.
   */
  'instance': (_maxcompute_gateway_v1_Instance__Output | null);
}
