// Original file: maxcompute/gateway/v1/instance.proto


/**
 * TaskResult is the result of one task (PyODPS `get_task_result`), a singleton sub-resource of
 * the task read from `GET /projects/{project}/instances/{id}?result`.
 */
export interface TaskResult {
  /**
   * The name of the task the result belongs to.
   */
  'task_name'?: (string);
  /**
   * The result format MaxCompute declared, for example `csv` or `text`; empty when not declared.
   */
  'format'?: (string);
  /**
   * The result text. For a SQL select it is CSV with a header row, strings quoted and `\N` for
   * NULL, for example `"name"\n"Iris-setosa"\n`. For a failed task it is the error message.
   * MaxCompute caps it at 10,000 rows.
   */
  'content'?: (string);
}

/**
 * TaskResult is the result of one task (PyODPS `get_task_result`), a singleton sub-resource of
 * the task read from `GET /projects/{project}/instances/{id}?result`.
 */
export interface TaskResult__Output {
  /**
   * The name of the task the result belongs to.
   */
  'task_name': (string);
  /**
   * The result format MaxCompute declared, for example `csv` or `text`; empty when not declared.
   */
  'format': (string);
  /**
   * The result text. For a SQL select it is CSV with a header row, strings quoted and `\N` for
   * NULL, for example `"name"\n"Iris-setosa"\n`. For a failed task it is the error message.
   * MaxCompute caps it at 10,000 rows.
   */
  'content': (string);
}
