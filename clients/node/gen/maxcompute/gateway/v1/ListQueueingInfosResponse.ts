// Original file: maxcompute/gateway/v1/instance_service.proto

import type { QueueingInfo as _maxcompute_gateway_v1_QueueingInfo, QueueingInfo__Output as _maxcompute_gateway_v1_QueueingInfo__Output } from '../../../maxcompute/gateway/v1/QueueingInfo.js';

/**
 * ListQueueingInfosResponse is one page of a project's queue.
 */
export interface ListQueueingInfosResponse {
  /**
   * The queue entries of this page, in the order MaxCompute lists them.
   */
  'queueing_infos'?: (_maxcompute_gateway_v1_QueueingInfo)[];
  /**
   * The token for the next page, or empty when this is the last page (the only end signal).
   */
  'next_page_token'?: (string);
}

/**
 * ListQueueingInfosResponse is one page of a project's queue.
 */
export interface ListQueueingInfosResponse__Output {
  /**
   * The queue entries of this page, in the order MaxCompute lists them.
   */
  'queueing_infos': (_maxcompute_gateway_v1_QueueingInfo__Output)[];
  /**
   * The token for the next page, or empty when this is the last page (the only end signal).
   */
  'next_page_token': (string);
}
