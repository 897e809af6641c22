// Original file: maxcompute/gateway/v1/instance_service.proto

import type { _maxcompute_gateway_v1_WorkerLog_LogType, _maxcompute_gateway_v1_WorkerLog_LogType__Output } from '../../../maxcompute/gateway/v1/WorkerLog.js';
import type { Long } from '@grpc/proto-loader';

/**
 * GetWorkerLogRequest names the worker log to read and how much of it.
 */
export interface GetWorkerLogRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the instance the worker belongs to.
   */
  'instance_id'?: (string);
  /**
   * The worker's log id, as `Worker.log_id` of GetTaskDetail on the same instance reports it:
   * 1 to 1024 printable characters without spaces.
   */
  'log_id'?: (string);
  /**
   * Which log of the worker to read. LOG_TYPE_UNSPECIFIED means STDOUT.
   */
  'log_type'?: (_maxcompute_gateway_v1_WorkerLog_LogType);
  /**
   * The most bytes of the log to return: 0 means the default of 1 MiB; at most 2 MiB
   * (2097152), the gateway's bound; negative or larger values are INVALID_ARGUMENT. Of a
   * longer log the end is returned, marked `truncated`.
   */
  'max_size_bytes'?: (number | string | Long);
}

/**
 * GetWorkerLogRequest names the worker log to read and how much of it.
 */
export interface GetWorkerLogRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the instance the worker belongs to.
   */
  'instance_id': (string);
  /**
   * The worker's log id, as `Worker.log_id` of GetTaskDetail on the same instance reports it:
   * 1 to 1024 printable characters without spaces.
   */
  'log_id': (string);
  /**
   * Which log of the worker to read. LOG_TYPE_UNSPECIFIED means STDOUT.
   */
  'log_type': (_maxcompute_gateway_v1_WorkerLog_LogType__Output);
  /**
   * The most bytes of the log to return: 0 means the default of 1 MiB; at most 2 MiB
   * (2097152), the gateway's bound; negative or larger values are INVALID_ARGUMENT. Of a
   * longer log the end is returned, marked `truncated`.
   */
  'max_size_bytes': (string);
}
