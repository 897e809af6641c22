// Original file: maxcompute/gateway/v1/instance_service.proto

import type { WatchEventType as _maxcompute_gateway_v1_WatchEventType, WatchEventType__Output as _maxcompute_gateway_v1_WatchEventType__Output } from '../../../maxcompute/gateway/v1/WatchEventType.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';
import type { TaskProgress as _maxcompute_gateway_v1_TaskProgress, TaskProgress__Output as _maxcompute_gateway_v1_TaskProgress__Output } from '../../../maxcompute/gateway/v1/TaskProgress.js';
import type { Long } from '@grpc/proto-loader';

/**
 * WatchInstanceResponse is one event of a WatchInstance stream.
 */
export interface WatchInstanceResponse {
  /**
   * Why this message was sent.
   */
  'event_type'?: (_maxcompute_gateway_v1_WatchEventType);
  /**
   * A number that increases with every distinct state the gateway observes for this instance.
   * Messages of one stream carry increasing (not necessarily consecutive) sequences; a
   * heartbeat repeats the sequence of the state it repeats.
   */
  'sequence'?: (number | string | Long);
  /**
   * When the gateway observed this state from MaxCompute, in UTC.
   */
  'observe_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The full state of the instance, with its tasks.
   */
  'instance'?: (_maxcompute_gateway_v1_Instance | null);
  /**
   * The latest stage progress of every task that reported any, in task order. Empty when the
   * watcher set `omit_progress`.
   */
  'progress'?: (_maxcompute_gateway_v1_TaskProgress)[];
  /**
   * True when the gateway's recent reads from MaxCompute failed and this state may be older than
   * the progress cadence; it is retrying. False once reads succeed again.
   */
  'stale'?: (boolean);
}

/**
 * WatchInstanceResponse is one event of a WatchInstance stream.
 */
export interface WatchInstanceResponse__Output {
  /**
   * Why this message was sent.
   */
  'event_type': (_maxcompute_gateway_v1_WatchEventType__Output);
  /**
   * A number that increases with every distinct state the gateway observes for this instance.
   * Messages of one stream carry increasing (not necessarily consecutive) sequences; a
   * heartbeat repeats the sequence of the state it repeats.
   */
  'sequence': (string);
  /**
   * When the gateway observed this state from MaxCompute, in UTC.
   */
  'observe_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The full state of the instance, with its tasks.
   */
  'instance': (_maxcompute_gateway_v1_Instance__Output | null);
  /**
   * The latest stage progress of every task that reported any, in task order. Empty when the
   * watcher set `omit_progress`.
   */
  'progress': (_maxcompute_gateway_v1_TaskProgress__Output)[];
  /**
   * True when the gateway's recent reads from MaxCompute failed and this state may be older than
   * the progress cadence; it is retrying. False once reads succeed again.
   */
  'stale': (boolean);
}
