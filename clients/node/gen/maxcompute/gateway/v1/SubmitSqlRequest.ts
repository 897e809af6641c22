// Original file: maxcompute/gateway/v1/instance_service.proto

import type { SqlJob as _maxcompute_gateway_v1_SqlJob, SqlJob__Output as _maxcompute_gateway_v1_SqlJob__Output } from '../../../maxcompute/gateway/v1/SqlJob.js';

/**
 * SubmitSqlRequest describes a SQL job to submit.
 */
export interface SubmitSqlRequest {
  /**
   * The project to run in; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The SQL job: query, hints and priority.
   */
  'job'?: (_maxcompute_gateway_v1_SqlJob | null);
  /**
   * A client-chosen UUID (version 4, in its canonical 36-character text form) that makes the
   * submission idempotent: a retried call with the same id returns the instance the first one
   * created. Empty means no deduplication.
   */
  'request_id'?: (string);
}

/**
 * SubmitSqlRequest describes a SQL job to submit.
 */
export interface SubmitSqlRequest__Output {
  /**
   * The project to run in; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The SQL job: query, hints and priority.
   */
  'job': (_maxcompute_gateway_v1_SqlJob__Output | null);
  /**
   * A client-chosen UUID (version 4, in its canonical 36-character text form) that makes the
   * submission idempotent: a retried call with the same id returns the instance the first one
   * created. Empty means no deduplication.
   */
  'request_id': (string);
}
