// Original file: maxcompute/gateway/v1/instance_service.proto

import type { SqlJob as _maxcompute_gateway_v1_SqlJob, SqlJob__Output as _maxcompute_gateway_v1_SqlJob__Output } from '../../../maxcompute/gateway/v1/SqlJob.js';

/**
 * EstimateSqlCostRequest describes the SQL job to estimate.
 */
export interface EstimateSqlCostRequest {
  /**
   * The project to estimate in; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The SQL job to estimate, as SubmitSql takes it. Its hints, priority, quota and running
   * cluster go with the estimating job.
   */
  'job'?: (_maxcompute_gateway_v1_SqlJob | null);
}

/**
 * EstimateSqlCostRequest describes the SQL job to estimate.
 */
export interface EstimateSqlCostRequest__Output {
  /**
   * The project to estimate in; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The SQL job to estimate, as SubmitSql takes it. Its hints, priority, quota and running
   * cluster go with the estimating job.
   */
  'job': (_maxcompute_gateway_v1_SqlJob__Output | null);
}
