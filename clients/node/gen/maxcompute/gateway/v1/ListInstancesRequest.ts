// Original file: maxcompute/gateway/v1/instance_service.proto

import type { _maxcompute_gateway_v1_Instance_State, _maxcompute_gateway_v1_Instance_State__Output } from '../../../maxcompute/gateway/v1/Instance.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';

/**
 * ListInstancesRequest selects the instances to list and the page to return.
 */
export interface ListInstancesRequest {
  /**
   * The project to list; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * Only instances in this state (MaxCompute `status` parameter); STATE_UNSPECIFIED lists all.
   */
  'state_filter'?: (_maxcompute_gateway_v1_Instance_State);
  /**
   * Only instances submitted by the account the gateway signs with (MaxCompute `onlyowner=yes`).
   */
  'only_owner'?: (boolean);
  /**
   * Only instances whose start time is at or after this time (MaxCompute `daterange`, second
   * precision). Unset means no lower bound.
   */
  'min_start_time'?: (_google_protobuf_Timestamp | null);
  /**
   * Only instances whose start time is before this time (MaxCompute `daterange`). Unset means now.
   */
  'max_start_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The maximum number of instances to return. 0 means the default of 100; values above the
   * maximum of 1000 are lowered to it; negative values are INVALID_ARGUMENT. A page may hold
   * fewer instances even when more follow.
   */
  'page_size'?: (number);
  /**
   * The `next_page_token` of a previous response with the same filters, or empty for the first
   * page. Tokens are opaque.
   */
  'page_token'?: (string);
}

/**
 * ListInstancesRequest selects the instances to list and the page to return.
 */
export interface ListInstancesRequest__Output {
  /**
   * The project to list; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * Only instances in this state (MaxCompute `status` parameter); STATE_UNSPECIFIED lists all.
   */
  'state_filter': (_maxcompute_gateway_v1_Instance_State__Output);
  /**
   * Only instances submitted by the account the gateway signs with (MaxCompute `onlyowner=yes`).
   */
  'only_owner': (boolean);
  /**
   * Only instances whose start time is at or after this time (MaxCompute `daterange`, second
   * precision). Unset means no lower bound.
   */
  'min_start_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * Only instances whose start time is before this time (MaxCompute `daterange`). Unset means now.
   */
  'max_start_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The maximum number of instances to return. 0 means the default of 100; values above the
   * maximum of 1000 are lowered to it; negative values are INVALID_ARGUMENT. A page may hold
   * fewer instances even when more follow.
   */
  'page_size': (number);
  /**
   * The `next_page_token` of a previous response with the same filters, or empty for the first
   * page. Tokens are opaque.
   */
  'page_token': (string);
}
