// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../google/protobuf/Duration.js';

/**
 * WatchInstanceRequest names the instance to watch and what to receive.
 */
export interface WatchInstanceRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the instance to watch.
   */
  'instance_id'?: (string);
  /**
   * When true, no stage progress is sampled or sent for this watcher: only state and task state
   * changes. Defaults to false (progress included).
   */
  'omit_progress'?: (boolean);
  /**
   * Send a HEARTBEAT message after this much time without any other message, for proxies that
   * cut idle streams. Unset or zero means no heartbeats; otherwise 1 second to 10 minutes.
   */
  'heartbeat_interval'?: (_google_protobuf_Duration | null);
}

/**
 * WatchInstanceRequest names the instance to watch and what to receive.
 */
export interface WatchInstanceRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the instance to watch.
   */
  'instance_id': (string);
  /**
   * When true, no stage progress is sampled or sent for this watcher: only state and task state
   * changes. Defaults to false (progress included).
   */
  'omit_progress': (boolean);
  /**
   * Send a HEARTBEAT message after this much time without any other message, for proxies that
   * cut idle streams. Unset or zero means no heartbeats; otherwise 1 second to 10 minutes.
   */
  'heartbeat_interval': (_google_protobuf_Duration__Output | null);
}
