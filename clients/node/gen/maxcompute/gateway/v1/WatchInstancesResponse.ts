// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';
import type { Long } from '@grpc/proto-loader';

// Original file: maxcompute/gateway/v1/instance_service.proto

/**
 * EventType says why a WatchInstancesResponse was sent.
 */
export const _maxcompute_gateway_v1_WatchInstancesResponse_EventType = {
  /**
   * Not set; never sent.
   */
  EVENT_TYPE_UNSPECIFIED: 'EVENT_TYPE_UNSPECIFIED',
  /**
   * The instance matches the filter: part of the initial snapshot, or newly seen.
   */
  ADDED: 'ADDED',
  /**
   * A watched instance changed state without terminating.
   */
  CHANGED: 'CHANGED',
  /**
   * A watched instance terminated; it is not reported again.
   */
  TERMINATED: 'TERMINATED',
  /**
   * The initial snapshot is complete: every matching instance has been sent as ADDED. Carries
   * no instance.
   */
  SNAPSHOT_END: 'SNAPSHOT_END',
  /**
   * Nothing changed for the requested heartbeat interval. Carries no instance.
   */
  HEARTBEAT: 'HEARTBEAT',
  /**
   * Every event up to `resume_version` has been sent (sent every `bookmark_interval`, and
   * once after the missed events of a resumed stream). Carries no instance.
   */
  BOOKMARK: 'BOOKMARK',
} as const;

/**
 * EventType says why a WatchInstancesResponse was sent.
 */
export type _maxcompute_gateway_v1_WatchInstancesResponse_EventType =
  /**
   * Not set; never sent.
   */
  | 'EVENT_TYPE_UNSPECIFIED'
  | 0
  /**
   * The instance matches the filter: part of the initial snapshot, or newly seen.
   */
  | 'ADDED'
  | 1
  /**
   * A watched instance changed state without terminating.
   */
  | 'CHANGED'
  | 2
  /**
   * A watched instance terminated; it is not reported again.
   */
  | 'TERMINATED'
  | 3
  /**
   * The initial snapshot is complete: every matching instance has been sent as ADDED. Carries
   * no instance.
   */
  | 'SNAPSHOT_END'
  | 4
  /**
   * Nothing changed for the requested heartbeat interval. Carries no instance.
   */
  | 'HEARTBEAT'
  | 5
  /**
   * Every event up to `resume_version` has been sent (sent every `bookmark_interval`, and
   * once after the missed events of a resumed stream). Carries no instance.
   */
  | 'BOOKMARK'
  | 6

/**
 * EventType says why a WatchInstancesResponse was sent.
 */
export type _maxcompute_gateway_v1_WatchInstancesResponse_EventType__Output = typeof _maxcompute_gateway_v1_WatchInstancesResponse_EventType[keyof typeof _maxcompute_gateway_v1_WatchInstancesResponse_EventType]

/**
 * WatchInstancesResponse is one event of a WatchInstances stream.
 */
export interface WatchInstancesResponse {
  /**
   * Why this message was sent.
   */
  'event_type'?: (_maxcompute_gateway_v1_WatchInstancesResponse_EventType);
  /**
   * A number that increases with every message of the stream.
   */
  'sequence'?: (number | string | Long);
  /**
   * When the gateway observed this state from MaxCompute, in UTC.
   */
  'observe_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The instance the event is about, without its tasks; unset for SNAPSHOT_END, HEARTBEAT and
   * BOOKMARK.
   */
  'instance'?: (_maxcompute_gateway_v1_Instance | null);
  /**
   * An opaque version: pass the one of the last event received as
   * `WatchInstancesRequest.resume_version` to resume the watch there. Empty on the ADDED events
   * of the initial snapshot (resume from SNAPSHOT_END or a later event).
   */
  'resume_version'?: (string);
}

/**
 * WatchInstancesResponse is one event of a WatchInstances stream.
 */
export interface WatchInstancesResponse__Output {
  /**
   * Why this message was sent.
   */
  'event_type': (_maxcompute_gateway_v1_WatchInstancesResponse_EventType__Output);
  /**
   * A number that increases with every message of the stream.
   */
  'sequence': (string);
  /**
   * When the gateway observed this state from MaxCompute, in UTC.
   */
  'observe_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The instance the event is about, without its tasks; unset for SNAPSHOT_END, HEARTBEAT and
   * BOOKMARK.
   */
  'instance': (_maxcompute_gateway_v1_Instance__Output | null);
  /**
   * An opaque version: pass the one of the last event received as
   * `WatchInstancesRequest.resume_version` to resume the watch there. Empty on the ADDED events
   * of the initial snapshot (resume from SNAPSHOT_END or a later event).
   */
  'resume_version': (string);
}
