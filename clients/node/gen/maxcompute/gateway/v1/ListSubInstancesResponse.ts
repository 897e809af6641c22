// Original file: maxcompute/gateway/v1/instance_service.proto

import type { SubInstance as _maxcompute_gateway_v1_SubInstance, SubInstance__Output as _maxcompute_gateway_v1_SubInstance__Output } from '../../../maxcompute/gateway/v1/SubInstance.js';

/**
 * ListSubInstancesResponse carries the sub-instances.
 */
export interface ListSubInstancesResponse {
  /**
   * The sub-instances in the order MaxCompute lists them.
   */
  'sub_instances'?: (_maxcompute_gateway_v1_SubInstance)[];
}

/**
 * ListSubInstancesResponse carries the sub-instances.
 */
export interface ListSubInstancesResponse__Output {
  /**
   * The sub-instances in the order MaxCompute lists them.
   */
  'sub_instances': (_maxcompute_gateway_v1_SubInstance__Output)[];
}
