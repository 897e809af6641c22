// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * EstimateSqlCostResponse is MaxCompute's estimate of a SQL job (PyODPS `SQLCost`, and what the
 * `cost sql` command prints).
 */
export interface EstimateSqlCostResponse {
  /**
   * Bytes the query would read (MaxCompute's `Input`).
   */
  'input_bytes'?: (number | string | Long);
  /**
   * How many user-defined functions the query calls (MaxCompute's `UDF`).
   */
  'udf_count'?: (number);
  /**
   * The complexity of the query as MaxCompute rates it for billing, for example `1.0`
   * (MaxCompute's `Complexity`).
   */
  'complexity'?: (number | string);
  /**
   * The id of the `SQLCost` instance that computed the estimate.
   */
  'instance_id'?: (string);
}

/**
 * EstimateSqlCostResponse is MaxCompute's estimate of a SQL job (PyODPS `SQLCost`, and what the
 * `cost sql` command prints).
 */
export interface EstimateSqlCostResponse__Output {
  /**
   * Bytes the query would read (MaxCompute's `Input`).
   */
  'input_bytes': (string);
  /**
   * How many user-defined functions the query calls (MaxCompute's `UDF`).
   */
  'udf_count': (number);
  /**
   * The complexity of the query as MaxCompute rates it for billing, for example `1.0`
   * (MaxCompute's `Complexity`).
   */
  'complexity': (number);
  /**
   * The id of the `SQLCost` instance that computed the estimate.
   */
  'instance_id': (string);
}
