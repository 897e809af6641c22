// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * SubmitSqlRequest describes a SQL job to submit.
 */
export interface SubmitSqlRequest {
  /**
   * The project to run in; empty means the gateway's default project.
   */
  'project'?: (string);
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
   * The job priority, 0 (highest) to 9 (the default when unset).
   */
  'priority'?: (number);
  /**
   * An optional client-chosen id (for example a UUID) that makes the submission idempotent: a
   * retried call with the same id returns the instance the first one created. At most 64
   * characters of letters, digits and `-_`.
   */
  'request_id'?: (string);
  '_priority'?: "priority";
}

/**
 * SubmitSqlRequest describes a SQL job to submit.
 */
export interface SubmitSqlRequest__Output {
  /**
   * The project to run in; empty means the gateway's default project.
   */
  'project': (string);
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
   * The job priority, 0 (highest) to 9 (the default when unset).
   */
  'priority'?: (number);
  /**
   * An optional client-chosen id (for example a UUID) that makes the submission idempotent: a
   * retried call with the same id returns the instance the first one created. At most 64
   * characters of letters, digits and `-_`.
   */
  'request_id': (string);
  '_priority'?: "priority";
}
