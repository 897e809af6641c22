// Original file: maxcompute/gateway/v1/result.proto

import type { NullValue as _google_protobuf_NullValue, NullValue__Output as _google_protobuf_NullValue__Output } from '../../../google/protobuf/NullValue.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { ResultArray as _maxcompute_gateway_v1_ResultArray, ResultArray__Output as _maxcompute_gateway_v1_ResultArray__Output } from '../../../maxcompute/gateway/v1/ResultArray.js';
import type { ResultMap as _maxcompute_gateway_v1_ResultMap, ResultMap__Output as _maxcompute_gateway_v1_ResultMap__Output } from '../../../maxcompute/gateway/v1/ResultMap.js';
import type { Long } from '@grpc/proto-loader';

/**
 * ResultValue is one value of a result, kept exactly: which field is set follows from the
 * column's type, and `null_value` is set for SQL NULL.
 */
export interface ResultValue {
  /**
   * Set for SQL NULL, of any type.
   */
  'null_value'?: (_google_protobuf_NullValue);
  /**
   * The value of a `bigint`, `int`, `smallint` or `tinyint` column.
   */
  'int64_value'?: (number | string | Long);
  /**
   * The value of a `double` or `float` column.
   */
  'double_value'?: (number | string);
  /**
   * `decimal(p,s)`: the exact decimal text, for example `-12.345000000000000000`.
   */
  'decimal_value'?: (string);
  /**
   * `string`, `varchar(n)`, `char(n)`: the text. A `string` whose bytes are not UTF-8 is
   * sent in `bytes_value`.
   */
  'string_value'?: (string);
  /**
   * `binary`, and `string` values that are not UTF-8 text.
   */
  'bytes_value'?: (Buffer | Uint8Array | string);
  /**
   * The value of a `boolean` column.
   */
  'bool_value'?: (boolean);
  /**
   * `date`: the calendar date as `YYYY-MM-DD`.
   */
  'date_value'?: (string);
  /**
   * `datetime`, `timestamp` and `timestamp_ntz`: the instant in UTC, with nanoseconds for
   * `timestamp`. A `timestamp_ntz` (no time zone) is written as if it were UTC.
   * (-- api-linter: core::0142::time-field-names=disabled
   * aip.dev/not-precedent: a value of a result column, named by its kind like the
   * other values; not a time of this resource. --)
   */
  'timestamp_value'?: (_google_protobuf_Timestamp | null);
  /**
   * `array<T>`: the elements.
   */
  'array_value'?: (_maxcompute_gateway_v1_ResultArray | null);
  /**
   * `map<K,V>`: the entries.
   */
  'map_value'?: (_maxcompute_gateway_v1_ResultMap | null);
  /**
   * `struct<…>`: the field values, in the order of the type's fields.
   */
  'struct_value'?: (_maxcompute_gateway_v1_ResultArray | null);
  /**
   * The value, by kind; exactly one is set.
   */
  'kind'?: "null_value"|"int64_value"|"double_value"|"decimal_value"|"string_value"|"bytes_value"|"bool_value"|"date_value"|"timestamp_value"|"array_value"|"map_value"|"struct_value";
}

/**
 * ResultValue is one value of a result, kept exactly: which field is set follows from the
 * column's type, and `null_value` is set for SQL NULL.
 */
export interface ResultValue__Output {
  /**
   * Set for SQL NULL, of any type.
   */
  'null_value'?: (_google_protobuf_NullValue__Output);
  /**
   * The value of a `bigint`, `int`, `smallint` or `tinyint` column.
   */
  'int64_value'?: (string);
  /**
   * The value of a `double` or `float` column.
   */
  'double_value'?: (number);
  /**
   * `decimal(p,s)`: the exact decimal text, for example `-12.345000000000000000`.
   */
  'decimal_value'?: (string);
  /**
   * `string`, `varchar(n)`, `char(n)`: the text. A `string` whose bytes are not UTF-8 is
   * sent in `bytes_value`.
   */
  'string_value'?: (string);
  /**
   * `binary`, and `string` values that are not UTF-8 text.
   */
  'bytes_value'?: (Buffer);
  /**
   * The value of a `boolean` column.
   */
  'bool_value'?: (boolean);
  /**
   * `date`: the calendar date as `YYYY-MM-DD`.
   */
  'date_value'?: (string);
  /**
   * `datetime`, `timestamp` and `timestamp_ntz`: the instant in UTC, with nanoseconds for
   * `timestamp`. A `timestamp_ntz` (no time zone) is written as if it were UTC.
   * (-- api-linter: core::0142::time-field-names=disabled
   * aip.dev/not-precedent: a value of a result column, named by its kind like the
   * other values; not a time of this resource. --)
   */
  'timestamp_value'?: (_google_protobuf_Timestamp__Output | null);
  /**
   * `array<T>`: the elements.
   */
  'array_value'?: (_maxcompute_gateway_v1_ResultArray__Output | null);
  /**
   * `map<K,V>`: the entries.
   */
  'map_value'?: (_maxcompute_gateway_v1_ResultMap__Output | null);
  /**
   * `struct<…>`: the field values, in the order of the type's fields.
   */
  'struct_value'?: (_maxcompute_gateway_v1_ResultArray__Output | null);
}
