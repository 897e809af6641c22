// Original file: maxcompute/gateway/v1/result.proto

import type { ResultValue as _maxcompute_gateway_v1_ResultValue, ResultValue__Output as _maxcompute_gateway_v1_ResultValue__Output } from '../../../maxcompute/gateway/v1/ResultValue.js';

/**
 * One entry of a map.
 */
export interface _maxcompute_gateway_v1_ResultMap_Entry {
  /**
   * The entry's key.
   */
  'key'?: (_maxcompute_gateway_v1_ResultValue | null);
  /**
   * The entry's value.
   */
  'value'?: (_maxcompute_gateway_v1_ResultValue | null);
}

/**
 * One entry of a map.
 */
export interface _maxcompute_gateway_v1_ResultMap_Entry__Output {
  /**
   * The entry's key.
   */
  'key': (_maxcompute_gateway_v1_ResultValue__Output | null);
  /**
   * The entry's value.
   */
  'value': (_maxcompute_gateway_v1_ResultValue__Output | null);
}

/**
 * ResultMap is the entries of a map value, in MaxCompute's order.
 */
export interface ResultMap {
  /**
   * The entries, in MaxCompute's order.
   */
  'entries'?: (_maxcompute_gateway_v1_ResultMap_Entry)[];
}

/**
 * ResultMap is the entries of a map value, in MaxCompute's order.
 */
export interface ResultMap__Output {
  /**
   * The entries, in MaxCompute's order.
   */
  'entries': (_maxcompute_gateway_v1_ResultMap_Entry__Output)[];
}
