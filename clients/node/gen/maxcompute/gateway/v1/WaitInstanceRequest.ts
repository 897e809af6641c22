// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../google/protobuf/Duration.js';

/**
 * WaitInstanceRequest names the instance to wait for and how long to wait at most.
 */
export interface WaitInstanceRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the instance to wait for.
   */
  'instance_id'?: (string);
  /**
   * The longest time to wait. Unset or zero means the server's cap (about 30 seconds); a call
   * deadline shorter than the timeout wins. Negative values are INVALID_ARGUMENT.
   */
  'timeout'?: (_google_protobuf_Duration | null);
}

/**
 * WaitInstanceRequest names the instance to wait for and how long to wait at most.
 */
export interface WaitInstanceRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the instance to wait for.
   */
  'instance_id': (string);
  /**
   * The longest time to wait. Unset or zero means the server's cap (about 30 seconds); a call
   * deadline shorter than the timeout wins. Negative values are INVALID_ARGUMENT.
   */
  'timeout': (_google_protobuf_Duration__Output | null);
}
