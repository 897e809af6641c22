// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * SubmitXflowRequest describes an XFlow (PAI algorithm) job to submit.
 */
export interface SubmitXflowRequest {
  /**
   * The project to run in; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The XFlow to run, for example `AppendID`.
   */
  'xflow_name'?: (string);
  /**
   * The project that owns the XFlow, for example `algo_public`.
   */
  'xflow_project'?: (string);
  /**
   * The XFlow parameters, for example `inputTableName` = `input_table`.
   */
  'parameters'?: ({[key: string]: string});
  /**
   * Settings sent with the job (PyODPS `hints`), with the same rules as SqlJob.hints.
   */
  'hints'?: ({[key: string]: string});
  /**
   * The job priority, 0 (highest) to 9. Unset means MaxCompute's default of 9.
   */
  'priority'?: (number);
  /**
   * A client-chosen UUID that makes the submission idempotent, as in SubmitSqlRequest.
   */
  'request_id'?: (string);
  '_priority'?: "priority";
}

/**
 * SubmitXflowRequest describes an XFlow (PAI algorithm) job to submit.
 */
export interface SubmitXflowRequest__Output {
  /**
   * The project to run in; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The XFlow to run, for example `AppendID`.
   */
  'xflow_name': (string);
  /**
   * The project that owns the XFlow, for example `algo_public`.
   */
  'xflow_project': (string);
  /**
   * The XFlow parameters, for example `inputTableName` = `input_table`.
   */
  'parameters': ({[key: string]: string});
  /**
   * Settings sent with the job (PyODPS `hints`), with the same rules as SqlJob.hints.
   */
  'hints': ({[key: string]: string});
  /**
   * The job priority, 0 (highest) to 9. Unset means MaxCompute's default of 9.
   */
  'priority'?: (number);
  /**
   * A client-chosen UUID that makes the submission idempotent, as in SubmitSqlRequest.
   */
  'request_id': (string);
}
