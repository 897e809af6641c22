// Original file: maxcompute/gateway/v1/instance_service.proto

import type { _maxcompute_gateway_v1_Instance_State, _maxcompute_gateway_v1_Instance_State__Output } from '../../../maxcompute/gateway/v1/Instance.js';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../google/protobuf/Duration.js';

/**
 * WatchInstancesRequest selects the project and the instances to watch.
 */
export interface WatchInstancesRequest {
  /**
   * The project to watch; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * Only instances in this state. STATE_UNSPECIFIED (the default) means running instances,
   * plus those that terminate while watched (reported once as TERMINATED).
   */
  'state_filter'?: (_maxcompute_gateway_v1_Instance_State);
  /**
   * Only instances submitted by the account the gateway signs with.
   */
  'only_owner'?: (boolean);
  /**
   * Send a HEARTBEAT message after this much time without any other message. Unset or zero
   * means no heartbeats; otherwise 1 second to 10 minutes.
   */
  'heartbeat_interval'?: (_google_protobuf_Duration | null);
  /**
   * Resume a broken watch: the `resume_version` of the last event received from a stream with
   * the same project and filters. The stream then starts with the events after that version
   * (no ADDED snapshot, no SNAPSHOT_END), then one BOOKMARK, then continues live. Empty means a
   * new watch with a snapshot. A version the gateway no longer holds events after is
   * FAILED_PRECONDITION (reason `RESUME_VERSION_TOO_OLD`); one it cannot read is
   * INVALID_ARGUMENT.
   */
  'resume_version'?: (string);
  /**
   * Send a BOOKMARK event, carrying the current `resume_version`, this often when nothing else
   * was sent (Kubernetes' watch bookmarks). Unset or zero means no periodic bookmarks;
   * otherwise 1 second to 10 minutes.
   */
  'bookmark_interval'?: (_google_protobuf_Duration | null);
}

/**
 * WatchInstancesRequest selects the project and the instances to watch.
 */
export interface WatchInstancesRequest__Output {
  /**
   * The project to watch; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * Only instances in this state. STATE_UNSPECIFIED (the default) means running instances,
   * plus those that terminate while watched (reported once as TERMINATED).
   */
  'state_filter': (_maxcompute_gateway_v1_Instance_State__Output);
  /**
   * Only instances submitted by the account the gateway signs with.
   */
  'only_owner': (boolean);
  /**
   * Send a HEARTBEAT message after this much time without any other message. Unset or zero
   * means no heartbeats; otherwise 1 second to 10 minutes.
   */
  'heartbeat_interval': (_google_protobuf_Duration__Output | null);
  /**
   * Resume a broken watch: the `resume_version` of the last event received from a stream with
   * the same project and filters. The stream then starts with the events after that version
   * (no ADDED snapshot, no SNAPSHOT_END), then one BOOKMARK, then continues live. Empty means a
   * new watch with a snapshot. A version the gateway no longer holds events after is
   * FAILED_PRECONDITION (reason `RESUME_VERSION_TOO_OLD`); one it cannot read is
   * INVALID_ARGUMENT.
   */
  'resume_version': (string);
  /**
   * Send a BOOKMARK event, carrying the current `resume_version`, this often when nothing else
   * was sent (Kubernetes' watch bookmarks). Unset or zero means no periodic bookmarks;
   * otherwise 1 second to 10 minutes.
   */
  'bookmark_interval': (_google_protobuf_Duration__Output | null);
}
