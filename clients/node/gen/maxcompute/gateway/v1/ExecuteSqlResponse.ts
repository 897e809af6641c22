// Original file: maxcompute/gateway/v1/instance_service.proto

import type { _maxcompute_gateway_v1_WatchInstanceResponse_EventType, _maxcompute_gateway_v1_WatchInstanceResponse_EventType__Output } from '../../../maxcompute/gateway/v1/WatchInstanceResponse.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from '../../../maxcompute/gateway/v1/Instance.js';
import type { TaskProgress as _maxcompute_gateway_v1_TaskProgress, TaskProgress__Output as _maxcompute_gateway_v1_TaskProgress__Output } from '../../../maxcompute/gateway/v1/TaskProgress.js';
import type { Long } from '@grpc/proto-loader';

/**
 * ExecuteSqlResponse is one message of an ExecuteSql stream: field for field (same names and
 * numbers) a WatchInstanceResponse, so a client may decode it as one, plus `reattached`.
 */
export interface ExecuteSqlResponse {
  /**
   * Why this message was sent: SNAPSHOT first (TERMINAL when the job had already ended), then
   * the changes, then TERMINAL, after which the stream ends with OK.
   */
  'event_type'?: (_maxcompute_gateway_v1_WatchInstanceResponse_EventType);
  /**
   * A number that increases with every distinct state the gateway observes for the instance,
   * as in WatchInstanceResponse.
   */
  'sequence'?: (number | string | Long);
  /**
   * When the gateway observed this state from MaxCompute, in UTC.
   */
  'observe_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The full state of the instance, with its tasks; `instance_id` names it in every message.
   */
  'instance'?: (_maxcompute_gateway_v1_Instance | null);
  /**
   * The latest stage progress of every task that reported any, in task order. Empty when the
   * caller set `omit_progress`.
   */
  'progress'?: (_maxcompute_gateway_v1_TaskProgress)[];
  /**
   * True when the gateway's recent reads from MaxCompute failed and this state may be old; it
   * is retrying.
   */
  'stale'?: (boolean);
  /**
   * True when `request_id` matched an instance an earlier call created: this call follows that
   * instance and never stops it, whatever `stop_on_cancel` says.
   */
  'reattached'?: (boolean);
}

/**
 * ExecuteSqlResponse is one message of an ExecuteSql stream: field for field (same names and
 * numbers) a WatchInstanceResponse, so a client may decode it as one, plus `reattached`.
 */
export interface ExecuteSqlResponse__Output {
  /**
   * Why this message was sent: SNAPSHOT first (TERMINAL when the job had already ended), then
   * the changes, then TERMINAL, after which the stream ends with OK.
   */
  'event_type': (_maxcompute_gateway_v1_WatchInstanceResponse_EventType__Output);
  /**
   * A number that increases with every distinct state the gateway observes for the instance,
   * as in WatchInstanceResponse.
   */
  'sequence': (string);
  /**
   * When the gateway observed this state from MaxCompute, in UTC.
   */
  'observe_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The full state of the instance, with its tasks; `instance_id` names it in every message.
   */
  'instance': (_maxcompute_gateway_v1_Instance__Output | null);
  /**
   * The latest stage progress of every task that reported any, in task order. Empty when the
   * caller set `omit_progress`.
   */
  'progress': (_maxcompute_gateway_v1_TaskProgress__Output)[];
  /**
   * True when the gateway's recent reads from MaxCompute failed and this state may be old; it
   * is retrying.
   */
  'stale': (boolean);
  /**
   * True when `request_id` matched an instance an earlier call created: this call follows that
   * instance and never stops it, whatever `stop_on_cancel` says.
   */
  'reattached': (boolean);
}
