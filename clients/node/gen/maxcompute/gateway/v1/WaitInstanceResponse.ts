// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';

/**
 * WaitInstanceResponse carries the latest state when the wait ended.
 */
export interface WaitInstanceResponse {
  /**
   * The latest state of the instance: terminated, or still running when the wait timed out.
   */
  'instance'?: (_maxcompute_gateway_v1_Instance | null);
}

/**
 * WaitInstanceResponse carries the latest state when the wait ended.
 */
export interface WaitInstanceResponse__Output {
  /**
   * The latest state of the instance: terminated, or still running when the wait timed out.
   */
  'instance': (_maxcompute_gateway_v1_Instance__Output | null);
}
