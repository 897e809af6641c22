// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';

/**
 * SubmitSqlResponse carries the new instance.
 */
export interface SubmitSqlResponse {
  /**
   * The instance MaxCompute created, as first read after creation (usually running).
   */
  'instance'?: (_maxcompute_gateway_v1_Instance | null);
}

/**
 * SubmitSqlResponse carries the new instance.
 */
export interface SubmitSqlResponse__Output {
  /**
   * The instance MaxCompute created, as first read after creation (usually running).
   */
  'instance': (_maxcompute_gateway_v1_Instance__Output | null);
}
