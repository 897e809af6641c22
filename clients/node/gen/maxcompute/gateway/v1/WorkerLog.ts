// Original file: maxcompute/gateway/v1/instance.proto


// Original file: maxcompute/gateway/v1/instance.proto

/**
 * LogType names one of the logs a worker keeps (PyODPS's `log_type` values).
 */
export const _maxcompute_gateway_v1_WorkerLog_LogType = {
  /**
   * Not set: in a request it means STDOUT; never sent by the gateway.
   */
  LOG_TYPE_UNSPECIFIED: 'LOG_TYPE_UNSPECIFIED',
  /**
   * The worker's standard output (MaxCompute `stdout`).
   */
  STDOUT: 'STDOUT',
  /**
   * The worker's standard error (MaxCompute `stderr`).
   */
  STDERR: 'STDERR',
  /**
   * The waterfall summary of the worker's run (MaxCompute `waterfall_summary`).
   */
  WATERFALL_SUMMARY: 'WATERFALL_SUMMARY',
  /**
   * Java thread dump of the worker (MaxCompute `jstack`).
   */
  JSTACK: 'JSTACK',
  /**
   * Native stack dump of the worker (MaxCompute `pstack`).
   */
  PSTACK: 'PSTACK',
  /**
   * JVM crash log of the worker (MaxCompute `hs_err_*.log`; PyODPS `hs_err_log`).
   */
  HS_ERR_LOG: 'HS_ERR_LOG',
  /**
   * Core dump information of the worker (MaxCompute `coreinfo.tmp`; PyODPS `coreinfo`).
   */
  COREINFO: 'COREINFO',
} as const;

/**
 * LogType names one of the logs a worker keeps (PyODPS's `log_type` values).
 */
export type _maxcompute_gateway_v1_WorkerLog_LogType =
  /**
   * Not set: in a request it means STDOUT; never sent by the gateway.
   */
  | 'LOG_TYPE_UNSPECIFIED'
  | 0
  /**
   * The worker's standard output (MaxCompute `stdout`).
   */
  | 'STDOUT'
  | 1
  /**
   * The worker's standard error (MaxCompute `stderr`).
   */
  | 'STDERR'
  | 2
  /**
   * The waterfall summary of the worker's run (MaxCompute `waterfall_summary`).
   */
  | 'WATERFALL_SUMMARY'
  | 3
  /**
   * Java thread dump of the worker (MaxCompute `jstack`).
   */
  | 'JSTACK'
  | 4
  /**
   * Native stack dump of the worker (MaxCompute `pstack`).
   */
  | 'PSTACK'
  | 5
  /**
   * JVM crash log of the worker (MaxCompute `hs_err_*.log`; PyODPS `hs_err_log`).
   */
  | 'HS_ERR_LOG'
  | 6
  /**
   * Core dump information of the worker (MaxCompute `coreinfo.tmp`; PyODPS `coreinfo`).
   */
  | 'COREINFO'
  | 7

/**
 * LogType names one of the logs a worker keeps (PyODPS's `log_type` values).
 */
export type _maxcompute_gateway_v1_WorkerLog_LogType__Output = typeof _maxcompute_gateway_v1_WorkerLog_LogType[keyof typeof _maxcompute_gateway_v1_WorkerLog_LogType]

/**
 * WorkerLog is one log of one worker, or its end when it is longer than asked for (PyODPS
 * `get_worker_log`), read from
 * `GET /projects/{project}/instances/{id}?log&id={log_id}&logtype={type}&size={bytes}`, whose
 * `size` keeps the end of the log. Every field is set by the gateway.
 */
export interface WorkerLog {
  /**
   * The log id the log was read for.
   */
  'log_id'?: (string);
  /**
   * Which log of the worker this is.
   */
  'log_type'?: (_maxcompute_gateway_v1_WorkerLog_LogType);
  /**
   * The log text: all of it, or its last `max_size_bytes` bytes (cut at a character
   * boundary) when it is longer. Bytes that are not UTF-8 read as U+FFFD.
   */
  'content'?: (string);
  /**
   * True when the log is longer than `content`: its beginning was cut off at the requested
   * size.
   */
  'truncated'?: (boolean);
}

/**
 * WorkerLog is one log of one worker, or its end when it is longer than asked for (PyODPS
 * `get_worker_log`), read from
 * `GET /projects/{project}/instances/{id}?log&id={log_id}&logtype={type}&size={bytes}`, whose
 * `size` keeps the end of the log. Every field is set by the gateway.
 */
export interface WorkerLog__Output {
  /**
   * The log id the log was read for.
   */
  'log_id': (string);
  /**
   * Which log of the worker this is.
   */
  'log_type': (_maxcompute_gateway_v1_WorkerLog_LogType__Output);
  /**
   * The log text: all of it, or its last `max_size_bytes` bytes (cut at a character
   * boundary) when it is longer. Bytes that are not UTF-8 read as U+FFFD.
   */
  'content': (string);
  /**
   * True when the log is longer than `content`: its beginning was cut off at the requested
   * size.
   */
  'truncated': (boolean);
}
