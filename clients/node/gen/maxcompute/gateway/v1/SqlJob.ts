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
   * The job priority, 0 (highest) to 9, as MaxCompute orders waiting jobs when its slots are
   * full (the job's `<Priority>`; PyODPS `run_sql(priority=)`). Unset means MaxCompute's
   * default of 9; other values are INVALID_ARGUMENT.
   */
  'priority'?: (number);
  /**
   * The quota (computing resource group) to run the job in, for example `os_PayAsYouGoQuota`,
   * sent as the `odps.task.wlm.quota` setting, as PyODPS does with `quota_name`. Empty means
   * the project's default quota. 1 to 128 characters of letters, digits and `_.-`, starting
   * with a letter or digit; a `hints` entry `odps.task.wlm.quota` with another value is
   * INVALID_ARGUMENT.
   */
  'quota_name'?: (string);
  /**
   * The cluster to run the job on (the job's `<RunningCluster>`; PyODPS
   * `run_sql(running_cluster=)`), for example `AY100G`. Empty means the project's default
   * cluster. 1 to 128 characters of letters, digits and `_.-`, starting with a letter or digit.
   */
  'running_cluster'?: (string);
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
   * The job priority, 0 (highest) to 9, as MaxCompute orders waiting jobs when its slots are
   * full (the job's `<Priority>`; PyODPS `run_sql(priority=)`). Unset means MaxCompute's
   * default of 9; other values are INVALID_ARGUMENT.
   */
  'priority'?: (number);
  /**
   * The quota (computing resource group) to run the job in, for example `os_PayAsYouGoQuota`,
   * sent as the `odps.task.wlm.quota` setting, as PyODPS does with `quota_name`. Empty means
   * the project's default quota. 1 to 128 characters of letters, digits and `_.-`, starting
   * with a letter or digit; a `hints` entry `odps.task.wlm.quota` with another value is
   * INVALID_ARGUMENT.
   */
  'quota_name': (string);
  /**
   * The cluster to run the job on (the job's `<RunningCluster>`; PyODPS
   * `run_sql(running_cluster=)`), for example `AY100G`. Empty means the project's default
   * cluster. 1 to 128 characters of letters, digits and `_.-`, starting with a letter or digit.
   */
  'running_cluster': (string);
}
