// Original file: maxcompute/gateway/v1/instance_service.proto

import type { SqlJob as _maxcompute_gateway_v1_SqlJob, SqlJob__Output as _maxcompute_gateway_v1_SqlJob__Output } from '../../../maxcompute/gateway/v1/SqlJob.js';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../google/protobuf/Duration.js';

/**
 * ExecuteSqlRequest describes a SQL job to run and how to follow it.
 */
export interface ExecuteSqlRequest {
  /**
   * The project to run in; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The SQL job: query, hints, priority, quota and running cluster, as SubmitSql takes it.
   */
  'job'?: (_maxcompute_gateway_v1_SqlJob | null);
  /**
   * A client-chosen UUID (version 4, in its canonical 36-character text form) that makes the
   * submission idempotent, as in SubmitSqlRequest: a call with the id of an earlier call
   * (ExecuteSql or SubmitSql) follows the instance that call created. Empty means no
   * deduplication.
   */
  'request_id'?: (string);
  /**
   * When true, the gateway stops the instance if this call ends before the instance
   * terminates because the caller cancelled it, disconnected or its deadline passed, provided
   * this call created the instance (see ExecuteSql). Defaults to false: the job runs on.
   */
  'stop_on_cancel'?: (boolean);
  /**
   * When true, no stage progress is sampled or sent: only state and task state changes, as
   * in WatchInstanceRequest.
   */
  'omit_progress'?: (boolean);
  /**
   * Send a HEARTBEAT message after this much time without any other message, as in
   * WatchInstanceRequest. Unset or zero means no heartbeats; otherwise 1 second to 10 minutes.
   */
  'heartbeat_interval'?: (_google_protobuf_Duration | null);
}

/**
 * ExecuteSqlRequest describes a SQL job to run and how to follow it.
 */
export interface ExecuteSqlRequest__Output {
  /**
   * The project to run in; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The SQL job: query, hints, priority, quota and running cluster, as SubmitSql takes it.
   */
  'job': (_maxcompute_gateway_v1_SqlJob__Output | null);
  /**
   * A client-chosen UUID (version 4, in its canonical 36-character text form) that makes the
   * submission idempotent, as in SubmitSqlRequest: a call with the id of an earlier call
   * (ExecuteSql or SubmitSql) follows the instance that call created. Empty means no
   * deduplication.
   */
  'request_id': (string);
  /**
   * When true, the gateway stops the instance if this call ends before the instance
   * terminates because the caller cancelled it, disconnected or its deadline passed, provided
   * this call created the instance (see ExecuteSql). Defaults to false: the job runs on.
   */
  'stop_on_cancel': (boolean);
  /**
   * When true, no stage progress is sampled or sent: only state and task state changes, as
   * in WatchInstanceRequest.
   */
  'omit_progress': (boolean);
  /**
   * Send a HEARTBEAT message after this much time without any other message, as in
   * WatchInstanceRequest. Unset or zero means no heartbeats; otherwise 1 second to 10 minutes.
   */
  'heartbeat_interval': (_google_protobuf_Duration__Output | null);
}
