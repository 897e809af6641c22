// Original file: maxcompute/gateway/v1/instance.proto

import type { Stage as _maxcompute_gateway_v1_Stage, Stage__Output as _maxcompute_gateway_v1_Stage__Output } from '../../../maxcompute/gateway/v1/Stage.js';

/**
 * TaskProgress is the stage-by-stage progress of one task (PyODPS `get_task_progress`), a
 * singleton sub-resource of the task.
 */
export interface TaskProgress {
  /**
   * The name of the task the progress belongs to.
   */
  'task_name'?: (string);
  /**
   * The stages of the task in the order MaxCompute lists them. Empty before the task starts and
   * for task types that report no stages.
   */
  'stages'?: (_maxcompute_gateway_v1_Stage)[];
  /**
   * The progress as exactly the one line PyODPS `get_stage_progress_formatted_string()` prints,
   * for example `2016-05-19 18:14:03 M1_Stg1_job0:0/1/1[100%]` (time of the observation in the
   * gateway's local time zone, then `id:running/terminated/total[percent%]` per stage).
   */
  'formatted'?: (string);
}

/**
 * TaskProgress is the stage-by-stage progress of one task (PyODPS `get_task_progress`), a
 * singleton sub-resource of the task.
 */
export interface TaskProgress__Output {
  /**
   * The name of the task the progress belongs to.
   */
  'task_name': (string);
  /**
   * The stages of the task in the order MaxCompute lists them. Empty before the task starts and
   * for task types that report no stages.
   */
  'stages': (_maxcompute_gateway_v1_Stage__Output)[];
  /**
   * The progress as exactly the one line PyODPS `get_stage_progress_formatted_string()` prints,
   * for example `2016-05-19 18:14:03 M1_Stg1_job0:0/1/1[100%]` (time of the observation in the
   * gateway's local time zone, then `id:running/terminated/total[percent%]` per stage).
   */
  'formatted': (string);
}
