// Original file: maxcompute/gateway/v1/instance.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Worker is one worker (process) of a task's stage, with the id of its logs (PyODPS
 * `get_task_workers`, from `?detail`). Every field is set by the gateway.
 */
export interface Worker {
  /**
   * The worker id MaxCompute reports, for example `Odps/demo_20240101_0/M1/0`.
   */
  'id'?: (string);
  /**
   * The id of the worker's logs: pass it to GetWorkerLog with the same instance. Empty when
   * MaxCompute gave none (for example before the worker started).
   */
  'log_id'?: (string);
  /**
   * The name of the stage the worker belongs to, for example `M1` (PyODPS calls it the
   * worker's type).
   */
  'stage'?: (string);
  /**
   * The worker status as MaxCompute reports it, for example `Terminated`: free text, passed
   * through unchanged.
   */
  'status'?: (string);
  /**
   * When the worker started, in UTC. Unset when unknown.
   */
  'start_time'?: (_google_protobuf_Timestamp | null);
  /**
   * When the worker ended, in UTC. Unset while it runs or when unknown.
   */
  'end_time'?: (_google_protobuf_Timestamp | null);
  /**
   * Bytes the worker read. Unset when MaxCompute did not report it.
   */
  'input_bytes'?: (number | string | Long);
  /**
   * Records the worker read. Unset when MaxCompute did not report it.
   */
  'input_records'?: (number | string | Long);
  /**
   * Bytes the worker wrote. Unset when MaxCompute did not report it.
   */
  'output_bytes'?: (number | string | Long);
  /**
   * Records the worker wrote. Unset when MaxCompute did not report it.
   */
  'output_records'?: (number | string | Long);
  '_input_bytes'?: "input_bytes";
  '_input_records'?: "input_records";
  '_output_bytes'?: "output_bytes";
  '_output_records'?: "output_records";
}

/**
 * Worker is one worker (process) of a task's stage, with the id of its logs (PyODPS
 * `get_task_workers`, from `?detail`). Every field is set by the gateway.
 */
export interface Worker__Output {
  /**
   * The worker id MaxCompute reports, for example `Odps/demo_20240101_0/M1/0`.
   */
  'id': (string);
  /**
   * The id of the worker's logs: pass it to GetWorkerLog with the same instance. Empty when
   * MaxCompute gave none (for example before the worker started).
   */
  'log_id': (string);
  /**
   * The name of the stage the worker belongs to, for example `M1` (PyODPS calls it the
   * worker's type).
   */
  'stage': (string);
  /**
   * The worker status as MaxCompute reports it, for example `Terminated`: free text, passed
   * through unchanged.
   */
  'status': (string);
  /**
   * When the worker started, in UTC. Unset when unknown.
   */
  'start_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the worker ended, in UTC. Unset while it runs or when unknown.
   */
  'end_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * Bytes the worker read. Unset when MaxCompute did not report it.
   */
  'input_bytes'?: (string);
  /**
   * Records the worker read. Unset when MaxCompute did not report it.
   */
  'input_records'?: (string);
  /**
   * Bytes the worker wrote. Unset when MaxCompute did not report it.
   */
  'output_bytes'?: (string);
  /**
   * Records the worker wrote. Unset when MaxCompute did not report it.
   */
  'output_records'?: (string);
}
