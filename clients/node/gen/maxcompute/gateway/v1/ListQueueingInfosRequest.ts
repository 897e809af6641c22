// Original file: maxcompute/gateway/v1/instance_service.proto

import type { _maxcompute_gateway_v1_Instance_State, _maxcompute_gateway_v1_Instance_State__Output } from '../../../maxcompute/gateway/v1/Instance.js';

/**
 * ListQueueingInfosRequest selects the part of a project's queue to list and the page.
 */
export interface ListQueueingInfosRequest {
  /**
   * The project whose queue to list; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * Only instances in this state (MaxCompute `status` parameter); STATE_UNSPECIFIED lists all
   * that MaxCompute keeps in the queue.
   */
  'state_filter'?: (_maxcompute_gateway_v1_Instance_State);
  /**
   * Only instances submitted by the account the gateway signs with (MaxCompute
   * `onlyowner=yes`).
   */
  'only_owner'?: (boolean);
  /**
   * Only instances of this quota, by MaxCompute's quota index (its `quotaIndex` parameter).
   * Empty means every quota. 1 to 128 characters of letters, digits and `_.-`.
   */
  'quota_index'?: (string);
  /**
   * The maximum number of entries to return. 0 means the default of 100; values above the
   * maximum of 1000 are lowered to it; negative values are INVALID_ARGUMENT. A page may hold
   * fewer entries even when more follow.
   */
  'page_size'?: (number);
  /**
   * The `next_page_token` of a previous response with the same filters, or empty for the first
   * page. Tokens are opaque.
   */
  'page_token'?: (string);
}

/**
 * ListQueueingInfosRequest selects the part of a project's queue to list and the page.
 */
export interface ListQueueingInfosRequest__Output {
  /**
   * The project whose queue to list; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * Only instances in this state (MaxCompute `status` parameter); STATE_UNSPECIFIED lists all
   * that MaxCompute keeps in the queue.
   */
  'state_filter': (_maxcompute_gateway_v1_Instance_State__Output);
  /**
   * Only instances submitted by the account the gateway signs with (MaxCompute
   * `onlyowner=yes`).
   */
  'only_owner': (boolean);
  /**
   * Only instances of this quota, by MaxCompute's quota index (its `quotaIndex` parameter).
   * Empty means every quota. 1 to 128 characters of letters, digits and `_.-`.
   */
  'quota_index': (string);
  /**
   * The maximum number of entries to return. 0 means the default of 100; values above the
   * maximum of 1000 are lowered to it; negative values are INVALID_ARGUMENT. A page may hold
   * fewer entries even when more follow.
   */
  'page_size': (number);
  /**
   * The `next_page_token` of a previous response with the same filters, or empty for the first
   * page. Tokens are opaque.
   */
  'page_token': (string);
}
