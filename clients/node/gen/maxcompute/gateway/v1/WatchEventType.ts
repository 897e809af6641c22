// Original file: maxcompute/gateway/v1/instance_service.proto

/**
 * WatchEventType says why a WatchInstanceResponse was sent.
 */
export const WatchEventType = {
  /**
   * Not set; never sent.
   */
  WATCH_EVENT_TYPE_UNSPECIFIED: 'WATCH_EVENT_TYPE_UNSPECIFIED',
  /**
   * The first message of every stream on a running or suspended instance: the full current
   * state, including progress.
   */
  WATCH_EVENT_TYPE_SNAPSHOT: 'WATCH_EVENT_TYPE_SNAPSHOT',
  /**
   * The instance status changed (for example Running to Suspended).
   */
  WATCH_EVENT_TYPE_STATUS_CHANGED: 'WATCH_EVENT_TYPE_STATUS_CHANGED',
  /**
   * The status of at least one task changed.
   */
  WATCH_EVENT_TYPE_TASK_STATUS_CHANGED: 'WATCH_EVENT_TYPE_TASK_STATUS_CHANGED',
  /**
   * The stage progress of at least one task changed.
   */
  WATCH_EVENT_TYPE_PROGRESS: 'WATCH_EVENT_TYPE_PROGRESS',
  /**
   * Nothing changed for the requested heartbeat interval; the message repeats the latest state.
   */
  WATCH_EVENT_TYPE_HEARTBEAT: 'WATCH_EVENT_TYPE_HEARTBEAT',
  /**
   * The instance terminated. This is the last message (and the first, when the instance had
   * already terminated); the stream then ends with OK.
   */
  WATCH_EVENT_TYPE_TERMINAL: 'WATCH_EVENT_TYPE_TERMINAL',
} as const;

/**
 * WatchEventType says why a WatchInstanceResponse was sent.
 */
export type WatchEventType =
  /**
   * Not set; never sent.
   */
  | 'WATCH_EVENT_TYPE_UNSPECIFIED'
  | 0
  /**
   * The first message of every stream on a running or suspended instance: the full current
   * state, including progress.
   */
  | 'WATCH_EVENT_TYPE_SNAPSHOT'
  | 1
  /**
   * The instance status changed (for example Running to Suspended).
   */
  | 'WATCH_EVENT_TYPE_STATUS_CHANGED'
  | 2
  /**
   * The status of at least one task changed.
   */
  | 'WATCH_EVENT_TYPE_TASK_STATUS_CHANGED'
  | 3
  /**
   * The stage progress of at least one task changed.
   */
  | 'WATCH_EVENT_TYPE_PROGRESS'
  | 4
  /**
   * Nothing changed for the requested heartbeat interval; the message repeats the latest state.
   */
  | 'WATCH_EVENT_TYPE_HEARTBEAT'
  | 5
  /**
   * The instance terminated. This is the last message (and the first, when the instance had
   * already terminated); the stream then ends with OK.
   */
  | 'WATCH_EVENT_TYPE_TERMINAL'
  | 6

/**
 * WatchEventType says why a WatchInstanceResponse was sent.
 */
export type WatchEventType__Output = typeof WatchEventType[keyof typeof WatchEventType]
