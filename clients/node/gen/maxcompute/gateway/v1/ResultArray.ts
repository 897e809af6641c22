// Original file: maxcompute/gateway/v1/result.proto

import type { ResultValue as _maxcompute_gateway_v1_ResultValue, ResultValue__Output as _maxcompute_gateway_v1_ResultValue__Output } from '../../../maxcompute/gateway/v1/ResultValue.js';

/**
 * ResultArray is the elements of an array or the fields of a struct, in order.
 */
export interface ResultArray {
  /**
   * The values, in order.
   */
  'values'?: (_maxcompute_gateway_v1_ResultValue)[];
}

/**
 * ResultArray is the elements of an array or the fields of a struct, in order.
 */
export interface ResultArray__Output {
  /**
   * The values, in order.
   */
  'values': (_maxcompute_gateway_v1_ResultValue__Output)[];
}
