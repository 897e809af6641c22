// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../google/protobuf/Duration.js';

/**
 * GenerateLogviewAddressRequest names the instance and how long its Logview URL stays valid.
 */
export interface GenerateLogviewAddressRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the instance.
   */
  'instance_id'?: (string);
  /**
   * How long the URL's token stays valid, in whole hours (MaxCompute's unit): unset or zero
   * means PyODPS's default of 720 hours (30 days); otherwise 1 to 2160 hours. Other values,
   * and durations that are not a whole number of hours, are INVALID_ARGUMENT.
   */
  'ttl'?: (_google_protobuf_Duration | null);
}

/**
 * GenerateLogviewAddressRequest names the instance and how long its Logview URL stays valid.
 */
export interface GenerateLogviewAddressRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the instance.
   */
  'instance_id': (string);
  /**
   * How long the URL's token stays valid, in whole hours (MaxCompute's unit): unset or zero
   * means PyODPS's default of 720 hours (30 days); otherwise 1 to 2160 hours. Other values,
   * and durations that are not a whole number of hours, are INVALID_ARGUMENT.
   */
  'ttl': (_google_protobuf_Duration__Output | null);
}
