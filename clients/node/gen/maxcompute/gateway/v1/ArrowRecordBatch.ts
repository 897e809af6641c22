// Original file: maxcompute/gateway/v1/result.proto


/**
 * ArrowRecordBatch is one Apache Arrow record batch of a result.
 */
export interface ArrowRecordBatch {
  /**
   * The batch as an Arrow IPC record batch message (without the schema, which is
   * `ResultSchema.arrow_schema` of the stream's first message).
   */
  'serialized_record_batch'?: (Buffer | Uint8Array | string);
}

/**
 * ArrowRecordBatch is one Apache Arrow record batch of a result.
 */
export interface ArrowRecordBatch__Output {
  /**
   * The batch as an Arrow IPC record batch message (without the schema, which is
   * `ResultSchema.arrow_schema` of the stream's first message).
   */
  'serialized_record_batch': (Buffer);
}
