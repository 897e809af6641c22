// Original file: maxcompute/gateway/v1/result.proto

import type { ResultRow as _maxcompute_gateway_v1_ResultRow, ResultRow__Output as _maxcompute_gateway_v1_ResultRow__Output } from '../../../maxcompute/gateway/v1/ResultRow.js';

/**
 * ResultRowBatch is a batch of typed rows.
 */
export interface ResultRowBatch {
  /**
   * The rows, in result order.
   */
  'rows'?: (_maxcompute_gateway_v1_ResultRow)[];
}

/**
 * ResultRowBatch is a batch of typed rows.
 */
export interface ResultRowBatch__Output {
  /**
   * The rows, in result order.
   */
  'rows': (_maxcompute_gateway_v1_ResultRow__Output)[];
}
