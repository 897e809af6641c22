// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';

/**
 * ListInstancesResponse is one page of instances.
 */
export interface ListInstancesResponse {
  /**
   * The instances of this page, in the order MaxCompute lists them, without their tasks.
   */
  'instances'?: (_maxcompute_gateway_v1_Instance)[];
  /**
   * The token for the next page, or empty when this is the last page (the only end signal).
   */
  'next_page_token'?: (string);
}

/**
 * ListInstancesResponse is one page of instances.
 */
export interface ListInstancesResponse__Output {
  /**
   * The instances of this page, in the order MaxCompute lists them, without their tasks.
   */
  'instances': (_maxcompute_gateway_v1_Instance__Output)[];
  /**
   * The token for the next page, or empty when this is the last page (the only end signal).
   */
  'next_page_token': (string);
}
