// Original file: maxcompute/gateway/v1/instance_service.proto

import type { SubInstance as _maxcompute_gateway_v1_SubInstance, SubInstance__Output as _maxcompute_gateway_v1_SubInstance__Output } from '../../../maxcompute/gateway/v1/SubInstance.js';

/**
 * ListSubInstancesResponse is one page of sub-instances.
 */
export interface ListSubInstancesResponse {
  /**
   * The sub-instances in the order MaxCompute lists them.
   */
  'sub_instances'?: (_maxcompute_gateway_v1_SubInstance)[];
  /**
   * The token for the next page, or empty when this is the last page.
   */
  'next_page_token'?: (string);
}

/**
 * ListSubInstancesResponse is one page of sub-instances.
 */
export interface ListSubInstancesResponse__Output {
  /**
   * The sub-instances in the order MaxCompute lists them.
   */
  'sub_instances': (_maxcompute_gateway_v1_SubInstance__Output)[];
  /**
   * The token for the next page, or empty when this is the last page.
   */
  'next_page_token': (string);
}
