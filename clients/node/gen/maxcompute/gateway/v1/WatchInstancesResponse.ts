// Original file: maxcompute/gateway/v1/instance_service.proto

import type { WatchInstancesEventType as _maxcompute_gateway_v1_WatchInstancesEventType, WatchInstancesEventType__Output as _maxcompute_gateway_v1_WatchInstancesEventType__Output } from '../../../maxcompute/gateway/v1/WatchInstancesEventType.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';
import type { Long } from '@grpc/proto-loader';

/**
 * WatchInstancesResponse is one event of a WatchInstances stream.
 */
export interface WatchInstancesResponse {
  /**
   * Why this message was sent.
   */
  'event_type'?: (_maxcompute_gateway_v1_WatchInstancesEventType);
  /**
   * A number that increases with every message of the stream.
   */
  'sequence'?: (number | string | Long);
  /**
   * When the gateway observed this state from MaxCompute, in UTC.
   */
  'observe_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The instance the event is about, without its tasks; unset for SNAPSHOT_END and HEARTBEAT.
   */
  'instance'?: (_maxcompute_gateway_v1_Instance | null);
}

/**
 * WatchInstancesResponse is one event of a WatchInstances stream.
 */
export interface WatchInstancesResponse__Output {
  /**
   * Why this message was sent.
   */
  'event_type': (_maxcompute_gateway_v1_WatchInstancesEventType__Output);
  /**
   * A number that increases with every message of the stream.
   */
  'sequence': (string);
  /**
   * When the gateway observed this state from MaxCompute, in UTC.
   */
  'observe_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The instance the event is about, without its tasks; unset for SNAPSHOT_END and HEARTBEAT.
   */
  'instance': (_maxcompute_gateway_v1_Instance__Output | null);
}
