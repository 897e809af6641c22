// Original file: maxcompute/gateway/v1/instance.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Stage is the progress of one execution stage of a running task, one `<Stage>` entry of
 * `GET /projects/{project}/instances/{id}?instanceprogress={task}&taskname={task}`.
 */
export interface Stage {
  /**
   * The stage id, for example `M1_Stg1_job0` (map), `R2_1_job0` (reduce) or `J3_1_2_job0` (join).
   */
  'id'?: (string);
  /**
   * The stage status as MaxCompute reports it, for example `Running` or `Terminated`: free text,
   * passed through unchanged.
   */
  'status'?: (string);
  /**
   * Backup (speculative) workers of the stage.
   */
  'backup_workers'?: (number);
  /**
   * Workers currently running.
   */
  'running_workers'?: (number);
  /**
   * Workers that have finished.
   */
  'terminated_workers'?: (number);
  /**
   * Workers the stage has in total.
   */
  'total_workers'?: (number);
  /**
   * Records the stage has read so far.
   */
  'input_records'?: (number | string | Long);
  /**
   * Records the stage has written so far.
   */
  'output_records'?: (number | string | Long);
  /**
   * How far the stage is, as a whole percentage from 0 to 100.
   */
  'finished_percentage'?: (number);
}

/**
 * Stage is the progress of one execution stage of a running task, one `<Stage>` entry of
 * `GET /projects/{project}/instances/{id}?instanceprogress={task}&taskname={task}`.
 */
export interface Stage__Output {
  /**
   * The stage id, for example `M1_Stg1_job0` (map), `R2_1_job0` (reduce) or `J3_1_2_job0` (join).
   */
  'id': (string);
  /**
   * The stage status as MaxCompute reports it, for example `Running` or `Terminated`: free text,
   * passed through unchanged.
   */
  'status': (string);
  /**
   * Backup (speculative) workers of the stage.
   */
  'backup_workers': (number);
  /**
   * Workers currently running.
   */
  'running_workers': (number);
  /**
   * Workers that have finished.
   */
  'terminated_workers': (number);
  /**
   * Workers the stage has in total.
   */
  'total_workers': (number);
  /**
   * Records the stage has read so far.
   */
  'input_records': (string);
  /**
   * Records the stage has written so far.
   */
  'output_records': (string);
  /**
   * How far the stage is, as a whole percentage from 0 to 100.
   */
  'finished_percentage': (number);
}
