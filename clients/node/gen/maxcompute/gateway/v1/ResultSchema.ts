// Original file: maxcompute/gateway/v1/result.proto

import type { ResultColumn as _maxcompute_gateway_v1_ResultColumn, ResultColumn__Output as _maxcompute_gateway_v1_ResultColumn__Output } from '../../../maxcompute/gateway/v1/ResultColumn.js';

/**
 * ResultSchema describes the columns of a result, in order.
 */
export interface ResultSchema {
  /**
   * The columns, in the order of the values of every row.
   */
  'columns'?: (_maxcompute_gateway_v1_ResultColumn)[];
  /**
   * For format ARROW: the Arrow schema as an Arrow IPC schema message. Concatenated with each
   * batch's `serialized_record_batch` it reads as an Arrow IPC stream. Empty for format ROWS.
   */
  'arrow_schema'?: (Buffer | Uint8Array | string);
}

/**
 * ResultSchema describes the columns of a result, in order.
 */
export interface ResultSchema__Output {
  /**
   * The columns, in the order of the values of every row.
   */
  'columns': (_maxcompute_gateway_v1_ResultColumn__Output)[];
  /**
   * For format ARROW: the Arrow schema as an Arrow IPC schema message. Concatenated with each
   * batch's `serialized_record_batch` it reads as an Arrow IPC stream. Empty for format ROWS.
   */
  'arrow_schema': (Buffer);
}
