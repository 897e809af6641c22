// Original file: maxcompute/gateway/v1/instance.proto


/**
 * SqlJob is a SQL job as submitted to MaxCompute: one `AnonymousSQLTask` in a
 * `POST /projects/{project}/instances` job. SubmitSql takes it, and so will the RPCs that run
 * or estimate SQL.
 */
export interface SqlJob {
  /**
   * The SQL text, for example `select * from pyodps_iris limit 1`. Leading and trailing
   * whitespace is removed and a `;` is appended when missing. At most 1 MiB; must not be empty.
   */
  'query'?: (string);
  /**
   * SQL settings (PyODPS `hints`), sent in the task's `settings` property, for example
   * `odps.sql.mapper.split.size` = `16`. Keys are 1 to 256 characters of letters, digits and
   * `._-:`; values at most 4096 characters.
   */
  'hints'?: ({[key: string]: string});
  /**
   * The job priority, 0 (highest) to 9. Unset means MaxCompute's default of 9.
   */
  'priority'?: (number);
  '_priority'?: "priority";
}

/**
 * SqlJob is a SQL job as submitted to MaxCompute: one `AnonymousSQLTask` in a
 * `POST /projects/{project}/instances` job. SubmitSql takes it, and so will the RPCs that run
 * or estimate SQL.
 */
export interface SqlJob__Output {
  /**
   * The SQL text, for example `select * from pyodps_iris limit 1`. Leading and trailing
   * whitespace is removed and a `;` is appended when missing. At most 1 MiB; must not be empty.
   */
  'query': (string);
  /**
   * SQL settings (PyODPS `hints`), sent in the task's `settings` property, for example
   * `odps.sql.mapper.split.size` = `16`. Keys are 1 to 256 characters of letters, digits and
   * `._-:`; values at most 4096 characters.
   */
  'hints': ({[key: string]: string});
  /**
   * The job priority, 0 (highest) to 9. Unset means MaxCompute's default of 9.
   */
  'priority'?: (number);
}
