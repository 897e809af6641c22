// Original file: maxcompute/gateway/v1/instance_service.proto

import type { Long } from '@grpc/proto-loader';

// Original file: maxcompute/gateway/v1/instance_service.proto

/**
 * Format is how the rows of each batch are encoded.
 */
export const _maxcompute_gateway_v1_ReadInstanceResultRequest_Format = {
  /**
   * The default: ROWS.
   */
  FORMAT_UNSPECIFIED: 'FORMAT_UNSPECIFIED',
  /**
   * Typed rows (`ResultRowBatch`): exact values in protobuf fields, readable in any language
   * without an Arrow library.
   */
  ROWS: 'ROWS',
  /**
   * Apache Arrow IPC record batches (`ArrowRecordBatch`), preceded by the Arrow schema in the
   * first message (`ResultSchema.arrow_schema`): the fastest way into pandas, Polars or Arrow.
   */
  ARROW: 'ARROW',
} as const;

/**
 * Format is how the rows of each batch are encoded.
 */
export type _maxcompute_gateway_v1_ReadInstanceResultRequest_Format =
  /**
   * The default: ROWS.
   */
  | 'FORMAT_UNSPECIFIED'
  | 0
  /**
   * Typed rows (`ResultRowBatch`): exact values in protobuf fields, readable in any language
   * without an Arrow library.
   */
  | 'ROWS'
  | 1
  /**
   * Apache Arrow IPC record batches (`ArrowRecordBatch`), preceded by the Arrow schema in the
   * first message (`ResultSchema.arrow_schema`): the fastest way into pandas, Polars or Arrow.
   */
  | 'ARROW'
  | 2

/**
 * Format is how the rows of each batch are encoded.
 */
export type _maxcompute_gateway_v1_ReadInstanceResultRequest_Format__Output = typeof _maxcompute_gateway_v1_ReadInstanceResultRequest_Format[keyof typeof _maxcompute_gateway_v1_ReadInstanceResultRequest_Format]

/**
 * ReadInstanceResultRequest names the result to read, the columns, the rows and the format.
 */
export interface ReadInstanceResultRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the instance.
   */
  'instance_id'?: (string);
  /**
   * The task whose result to read; empty means the instance's only SQL task (for example
   * `AnonymousSQLTask`).
   */
  'task_name'?: (string);
  /**
   * The columns to read, by name and in this order; empty reads every column in the result's
   * order. An unknown or repeated name is INVALID_ARGUMENT.
   */
  'columns'?: (string)[];
  /**
   * The index of the first row to read (0 is the first row of the result); at most the row
   * count. Negative values are INVALID_ARGUMENT.
   */
  'offset'?: (number | string | Long);
  /**
   * The most rows to read; 0 reads to the end. Negative values are INVALID_ARGUMENT.
   */
  'limit'?: (number | string | Long);
  /**
   * How to encode the rows; FORMAT_UNSPECIFIED means ROWS.
   */
  'format'?: (_maxcompute_gateway_v1_ReadInstanceResultRequest_Format);
}

/**
 * ReadInstanceResultRequest names the result to read, the columns, the rows and the format.
 */
export interface ReadInstanceResultRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the instance.
   */
  'instance_id': (string);
  /**
   * The task whose result to read; empty means the instance's only SQL task (for example
   * `AnonymousSQLTask`).
   */
  'task_name': (string);
  /**
   * The columns to read, by name and in this order; empty reads every column in the result's
   * order. An unknown or repeated name is INVALID_ARGUMENT.
   */
  'columns': (string)[];
  /**
   * The index of the first row to read (0 is the first row of the result); at most the row
   * count. Negative values are INVALID_ARGUMENT.
   */
  'offset': (string);
  /**
   * The most rows to read; 0 reads to the end. Negative values are INVALID_ARGUMENT.
   */
  'limit': (string);
  /**
   * How to encode the rows; FORMAT_UNSPECIFIED means ROWS.
   */
  'format': (_maxcompute_gateway_v1_ReadInstanceResultRequest_Format__Output);
}
