// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';

/**
 * GenerateLogviewAddressResponse carries the Logview URL.
 */
export interface GenerateLogviewAddressResponse {
  /**
   * The Logview URL, as PyODPS `get_logview_address()` builds it.
   */
  'url'?: (string);
  /**
   * When the URL's token expires, in UTC.
   */
  'expire_time'?: (_google_protobuf_Timestamp | null);
}

/**
 * GenerateLogviewAddressResponse carries the Logview URL.
 */
export interface GenerateLogviewAddressResponse__Output {
  /**
   * The Logview URL, as PyODPS `get_logview_address()` builds it.
   */
  'url': (string);
  /**
   * When the URL's token expires, in UTC.
   */
  'expire_time': (_google_protobuf_Timestamp__Output | null);
}
