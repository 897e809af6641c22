// Original file: maxcompute/gateway/v1/instance.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../../google/protobuf/Struct.js';
import type { TaskCost as _maxcompute_gateway_v1_TaskCost, TaskCost__Output as _maxcompute_gateway_v1_TaskCost__Output } from '../../../maxcompute/gateway/v1/TaskCost.js';

/**
 * TaskSummary is the summary of one task (PyODPS `get_task_summary` and `get_task_cost`), a
 * singleton sub-resource of the task read from
 * `GET /projects/{project}/instances/{id}?instancesummary&taskname={task}`. MaxCompute writes
 * it while the task runs and completes it when the task ends. Every field is set by the gateway.
 */
export interface TaskSummary {
  /**
   * The name of the task the summary belongs to.
   */
  'task_name'?: (string);
  /**
   * The summary as text, as MaxCompute prints it (PyODPS `summary_text`), for example the
   * inputs, outputs and the records of each stage. Empty when MaxCompute gave none.
   */
  'summary_text'?: (string);
  /**
   * The structured summary (PyODPS `json_summary`, parsed): MaxCompute's JSON object, passed
   * through. Unset when MaxCompute gave no summary, or one that is not a JSON object.
   */
  'json_summary'?: (_google_protobuf_Struct | null);
  /**
   * What the task used so far, from the summary's `Cost`. Unset when the summary has none
   * (for example before the task ran, or for task types MaxCompute does not meter this way).
   */
  'cost'?: (_maxcompute_gateway_v1_TaskCost | null);
  /**
   * Whether MaxCompute declared the summary final (its `x-odps-task-finalized` header): true
   * once it will not change again. Unset when MaxCompute did not say.
   */
  'finalized'?: (boolean);
  '_finalized'?: "finalized";
}

/**
 * TaskSummary is the summary of one task (PyODPS `get_task_summary` and `get_task_cost`), a
 * singleton sub-resource of the task read from
 * `GET /projects/{project}/instances/{id}?instancesummary&taskname={task}`. MaxCompute writes
 * it while the task runs and completes it when the task ends. Every field is set by the gateway.
 */
export interface TaskSummary__Output {
  /**
   * The name of the task the summary belongs to.
   */
  'task_name': (string);
  /**
   * The summary as text, as MaxCompute prints it (PyODPS `summary_text`), for example the
   * inputs, outputs and the records of each stage. Empty when MaxCompute gave none.
   */
  'summary_text': (string);
  /**
   * The structured summary (PyODPS `json_summary`, parsed): MaxCompute's JSON object, passed
   * through. Unset when MaxCompute gave no summary, or one that is not a JSON object.
   */
  'json_summary': (_google_protobuf_Struct__Output | null);
  /**
   * What the task used so far, from the summary's `Cost`. Unset when the summary has none
   * (for example before the task ran, or for task types MaxCompute does not meter this way).
   */
  'cost': (_maxcompute_gateway_v1_TaskCost__Output | null);
  /**
   * Whether MaxCompute declared the summary final (its `x-odps-task-finalized` header): true
   * once it will not change again. Unset when MaxCompute did not say.
   */
  'finalized'?: (boolean);
}
