// Original file: maxcompute/gateway/v1/result.proto


/**
 * ResultColumn is one column of a result.
 */
export interface ResultColumn {
  /**
   * The column's name as MaxCompute reports it.
   */
  'name'?: (string);
  /**
   * The column's MaxCompute type as MaxCompute writes it, in lower case: `bigint`, `int`,
   * `smallint`, `tinyint`, `double`, `float`, `decimal(38,18)`, `string`, `varchar(10)`,
   * `char(4)`, `boolean`, `date`, `datetime`, `timestamp`, `timestamp_ntz`, `binary`,
   * `array<bigint>`, `map<string,bigint>`, `struct<a:bigint,b:string>`.
   */
  'type'?: (string);
}

/**
 * ResultColumn is one column of a result.
 */
export interface ResultColumn__Output {
  /**
   * The column's name as MaxCompute reports it.
   */
  'name': (string);
  /**
   * The column's MaxCompute type as MaxCompute writes it, in lower case: `bigint`, `int`,
   * `smallint`, `tinyint`, `double`, `float`, `decimal(38,18)`, `string`, `varchar(10)`,
   * `char(4)`, `boolean`, `date`, `datetime`, `timestamp`, `timestamp_ntz`, `binary`,
   * `array<bigint>`, `map<string,bigint>`, `struct<a:bigint,b:string>`.
   */
  'type': (string);
}
