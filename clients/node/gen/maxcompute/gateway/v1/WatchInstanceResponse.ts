// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';
import type { TaskProgress as _maxcompute_gateway_v1_TaskProgress, TaskProgress__Output as _maxcompute_gateway_v1_TaskProgress__Output } from '../../../maxcompute/gateway/v1/TaskProgress.js';
import type { Long } from '@grpc/proto-loader';

// Original file: maxcompute/gateway/v1/instance_service.proto

/**
 * EventType says why a WatchInstanceResponse was sent.
 */
export const _maxcompute_gateway_v1_WatchInstanceResponse_EventType = {
  /**
   * Not set; never sent.
   */
  EVENT_TYPE_UNSPECIFIED: 'EVENT_TYPE_UNSPECIFIED',
  /**
   * The first message of every stream on a running or suspended instance: the full current
   * state, including progress.
   */
  SNAPSHOT: 'SNAPSHOT',
  /**
   * The instance state changed (for example RUNNING to SUSPENDED).
   */
  STATE_CHANGED: 'STATE_CHANGED',
  /**
   * The state of at least one task changed.
   */
  TASK_STATE_CHANGED: 'TASK_STATE_CHANGED',
  /**
   * The stage progress of at least one task changed.
   */
  PROGRESS: 'PROGRESS',
  /**
   * Nothing changed for the requested heartbeat interval; the message repeats the latest state.
   */
  HEARTBEAT: 'HEARTBEAT',
  /**
   * The instance terminated. This is the last message (and the first, when the instance had
   * already terminated); the stream then ends with OK.
   */
  TERMINAL: 'TERMINAL',
} as const;

/**
 * EventType says why a WatchInstanceResponse was sent.
 */
export type _maxcompute_gateway_v1_WatchInstanceResponse_EventType =
  /**
   * Not set; never sent.
   */
  | 'EVENT_TYPE_UNSPECIFIED'
  | 0
  /**
   * The first message of every stream on a running or suspended instance: the full current
   * state, including progress.
   */
  | 'SNAPSHOT'
  | 1
  /**
   * The instance state changed (for example RUNNING to SUSPENDED).
   */
  | 'STATE_CHANGED'
  | 2
  /**
   * The state of at least one task changed.
   */
  | 'TASK_STATE_CHANGED'
  | 3
  /**
   * The stage progress of at least one task changed.
   */
  | 'PROGRESS'
  | 4
  /**
   * Nothing changed for the requested heartbeat interval; the message repeats the latest state.
   */
  | 'HEARTBEAT'
  | 5
  /**
   * The instance terminated. This is the last message (and the first, when the instance had
   * already terminated); the stream then ends with OK.
   */
  | 'TERMINAL'
  | 6

/**
 * EventType says why a WatchInstanceResponse was sent.
 */
export type _maxcompute_gateway_v1_WatchInstanceResponse_EventType__Output = typeof _maxcompute_gateway_v1_WatchInstanceResponse_EventType[keyof typeof _maxcompute_gateway_v1_WatchInstanceResponse_EventType]

/**
 * WatchInstanceResponse is one event of a WatchInstance stream.
 */
export interface WatchInstanceResponse {
  /**
   * Why this message was sent.
   */
  'event_type'?: (_maxcompute_gateway_v1_WatchInstanceResponse_EventType);
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
  'event_type': (_maxcompute_gateway_v1_WatchInstanceResponse_EventType__Output);
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
