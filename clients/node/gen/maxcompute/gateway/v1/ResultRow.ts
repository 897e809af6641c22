// Original file: maxcompute/gateway/v1/result.proto

import type { ResultValue as _maxcompute_gateway_v1_ResultValue, ResultValue__Output as _maxcompute_gateway_v1_ResultValue__Output } from '../../../maxcompute/gateway/v1/ResultValue.js';

/**
 * ResultRow is one row: one value per column of the schema, in order.
 */
export interface ResultRow {
  /**
   * The values, one per column of the schema, in order.
   */
  'values'?: (_maxcompute_gateway_v1_ResultValue)[];
}

/**
 * ResultRow is one row: one value per column of the schema, in order.
 */
export interface ResultRow__Output {
  /**
   * The values, one per column of the schema, in order.
   */
  'values': (_maxcompute_gateway_v1_ResultValue__Output)[];
}
