// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';

/**
 * SubmitXflowResponse carries the new instance.
 */
export interface SubmitXflowResponse {
  /**
   * The XFlow instance MaxCompute created, as first read after creation.
   */
  'instance'?: (_maxcompute_gateway_v1_Instance | null);
}

/**
 * SubmitXflowResponse carries the new instance.
 */
export interface SubmitXflowResponse__Output {
  /**
   * The XFlow instance MaxCompute created, as first read after creation.
   */
  'instance': (_maxcompute_gateway_v1_Instance__Output | null);
}
