// Original file: maxcompute/gateway/v1/instance_service.proto

import type { ResultSchema as _maxcompute_gateway_v1_ResultSchema, ResultSchema__Output as _maxcompute_gateway_v1_ResultSchema__Output } from '../../../maxcompute/gateway/v1/ResultSchema.js';
import type { ResultRowBatch as _maxcompute_gateway_v1_ResultRowBatch, ResultRowBatch__Output as _maxcompute_gateway_v1_ResultRowBatch__Output } from '../../../maxcompute/gateway/v1/ResultRowBatch.js';
import type { ArrowRecordBatch as _maxcompute_gateway_v1_ArrowRecordBatch, ArrowRecordBatch__Output as _maxcompute_gateway_v1_ArrowRecordBatch__Output } from '../../../maxcompute/gateway/v1/ArrowRecordBatch.js';
import type { Long } from '@grpc/proto-loader';

/**
 * ReadInstanceResultResponse is one message of a ReadInstanceResult stream: the first carries
 * the schema and the row counts, every later one a batch of rows.
 */
export interface ReadInstanceResultResponse {
  /**
   * The columns of the rows that follow, in order; set in the first message only.
   */
  'schema'?: (_maxcompute_gateway_v1_ResultSchema | null);
  /**
   * The number of rows in the whole result, before `offset` and `limit`; set in the first
   * message only.
   */
  'total_row_count'?: (number | string | Long);
  /**
   * The number of rows this stream will send in all (after `offset` and `limit`); set in the
   * first message only.
   */
  'selected_row_count'?: (number | string | Long);
  /**
   * The index in the whole result of the first row of this batch: resume a broken stream with
   * `offset = row_offset + row_count` of the last batch received.
   */
  'row_offset'?: (number | string | Long);
  /**
   * The number of rows in this batch; 0 in the first message.
   */
  'row_count'?: (number | string | Long);
  /**
   * Typed rows (format ROWS).
   */
  'row_batch'?: (_maxcompute_gateway_v1_ResultRowBatch | null);
  /**
   * An Arrow IPC record batch (format ARROW).
   */
  'arrow_record_batch'?: (_maxcompute_gateway_v1_ArrowRecordBatch | null);
  /**
   * The rows of this batch, in the requested format; unset in the first message.
   */
  'rows'?: "row_batch"|"arrow_record_batch";
}

/**
 * ReadInstanceResultResponse is one message of a ReadInstanceResult stream: the first carries
 * the schema and the row counts, every later one a batch of rows.
 */
export interface ReadInstanceResultResponse__Output {
  /**
   * The columns of the rows that follow, in order; set in the first message only.
   */
  'schema': (_maxcompute_gateway_v1_ResultSchema__Output | null);
  /**
   * The number of rows in the whole result, before `offset` and `limit`; set in the first
   * message only.
   */
  'total_row_count': (string);
  /**
   * The number of rows this stream will send in all (after `offset` and `limit`); set in the
   * first message only.
   */
  'selected_row_count': (string);
  /**
   * The index in the whole result of the first row of this batch: resume a broken stream with
   * `offset = row_offset + row_count` of the last batch received.
   */
  'row_offset': (string);
  /**
   * The number of rows in this batch; 0 in the first message.
   */
  'row_count': (string);
  /**
   * Typed rows (format ROWS).
   */
  'row_batch'?: (_maxcompute_gateway_v1_ResultRowBatch__Output | null);
  /**
   * An Arrow IPC record batch (format ARROW).
   */
  'arrow_record_batch'?: (_maxcompute_gateway_v1_ArrowRecordBatch__Output | null);
}
