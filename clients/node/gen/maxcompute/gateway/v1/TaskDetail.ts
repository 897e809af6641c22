// Original file: maxcompute/gateway/v1/instance.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../../google/protobuf/Struct.js';
import type { Worker as _maxcompute_gateway_v1_Worker, Worker__Output as _maxcompute_gateway_v1_Worker__Output } from '../../../maxcompute/gateway/v1/Worker.js';

/**
 * TaskDetail is the execution detail of one task (PyODPS `get_task_detail`,
 * `get_task_detail2` and `get_task_workers`), a singleton sub-resource of the task read from
 * `GET /projects/{project}/instances/{id}?instancedetail&taskname={task}` and
 * `?detail&taskname={task}`. Every field is set by the gateway.
 */
export interface TaskDetail {
  /**
   * The name of the task the detail belongs to.
   */
  'task_name'?: (string);
  /**
   * The detail MaxCompute reports (PyODPS `get_task_detail`: `?instancedetail`, or `?detail`
   * when that answer is empty), a JSON object passed through. Unset when the answer was not a
   * JSON object; `detail_text` then holds it.
   */
  'detail'?: (_google_protobuf_Struct | null);
  /**
   * The detail as MaxCompute sent it when it is not a JSON object (text, or a JSON array);
   * empty otherwise.
   */
  'detail_text'?: (string);
  /**
   * The workers of every stage of the task, with their log ids (from `?detail`), in the order
   * MaxCompute lists them. Empty before the task starts workers.
   */
  'workers'?: (_maxcompute_gateway_v1_Worker)[];
}

/**
 * TaskDetail is the execution detail of one task (PyODPS `get_task_detail`,
 * `get_task_detail2` and `get_task_workers`), a singleton sub-resource of the task read from
 * `GET /projects/{project}/instances/{id}?instancedetail&taskname={task}` and
 * `?detail&taskname={task}`. Every field is set by the gateway.
 */
export interface TaskDetail__Output {
  /**
   * The name of the task the detail belongs to.
   */
  'task_name': (string);
  /**
   * The detail MaxCompute reports (PyODPS `get_task_detail`: `?instancedetail`, or `?detail`
   * when that answer is empty), a JSON object passed through. Unset when the answer was not a
   * JSON object; `detail_text` then holds it.
   */
  'detail': (_google_protobuf_Struct__Output | null);
  /**
   * The detail as MaxCompute sent it when it is not a JSON object (text, or a JSON array);
   * empty otherwise.
   */
  'detail_text': (string);
  /**
   * The workers of every stage of the task, with their log ids (from `?detail`), in the order
   * MaxCompute lists them. Empty before the task starts workers.
   */
  'workers': (_maxcompute_gateway_v1_Worker__Output)[];
}
