// Original file: maxcompute/gateway/v1/instance_service.proto

/**
 * WatchInstancesEventType says why a WatchInstancesResponse was sent.
 */
export const WatchInstancesEventType = {
  /**
   * Not set; never sent.
   */
  WATCH_INSTANCES_EVENT_TYPE_UNSPECIFIED: 'WATCH_INSTANCES_EVENT_TYPE_UNSPECIFIED',
  /**
   * The instance matches the filter: part of the initial snapshot, or newly seen.
   */
  WATCH_INSTANCES_EVENT_TYPE_ADDED: 'WATCH_INSTANCES_EVENT_TYPE_ADDED',
  /**
   * A watched instance changed status without terminating.
   */
  WATCH_INSTANCES_EVENT_TYPE_CHANGED: 'WATCH_INSTANCES_EVENT_TYPE_CHANGED',
  /**
   * A watched instance terminated; it is not reported again.
   */
  WATCH_INSTANCES_EVENT_TYPE_TERMINATED: 'WATCH_INSTANCES_EVENT_TYPE_TERMINATED',
  /**
   * The initial snapshot is complete: every matching instance has been sent as ADDED. Carries
   * no instance.
   */
  WATCH_INSTANCES_EVENT_TYPE_SNAPSHOT_END: 'WATCH_INSTANCES_EVENT_TYPE_SNAPSHOT_END',
  /**
   * Nothing changed for the requested heartbeat interval. Carries no instance.
   */
  WATCH_INSTANCES_EVENT_TYPE_HEARTBEAT: 'WATCH_INSTANCES_EVENT_TYPE_HEARTBEAT',
} as const;

/**
 * WatchInstancesEventType says why a WatchInstancesResponse was sent.
 */
export type WatchInstancesEventType =
  /**
   * Not set; never sent.
   */
  | 'WATCH_INSTANCES_EVENT_TYPE_UNSPECIFIED'
  | 0
  /**
   * The instance matches the filter: part of the initial snapshot, or newly seen.
   */
  | 'WATCH_INSTANCES_EVENT_TYPE_ADDED'
  | 1
  /**
   * A watched instance changed status without terminating.
   */
  | 'WATCH_INSTANCES_EVENT_TYPE_CHANGED'
  | 2
  /**
   * A watched instance terminated; it is not reported again.
   */
  | 'WATCH_INSTANCES_EVENT_TYPE_TERMINATED'
  | 3
  /**
   * The initial snapshot is complete: every matching instance has been sent as ADDED. Carries
   * no instance.
   */
  | 'WATCH_INSTANCES_EVENT_TYPE_SNAPSHOT_END'
  | 4
  /**
   * Nothing changed for the requested heartbeat interval. Carries no instance.
   */
  | 'WATCH_INSTANCES_EVENT_TYPE_HEARTBEAT'
  | 5

/**
 * WatchInstancesEventType says why a WatchInstancesResponse was sent.
 */
export type WatchInstancesEventType__Output = typeof WatchInstancesEventType[keyof typeof WatchInstancesEventType]
