// Original file: maxcompute/gateway/v1/instance.proto

import type { _maxcompute_gateway_v1_Instance_State, _maxcompute_gateway_v1_Instance_State__Output } from '../../../maxcompute/gateway/v1/Instance.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../../google/protobuf/Struct.js';
import type { Long } from '@grpc/proto-loader';

/**
 * QueueingInfo is where an instance stands in MaxCompute's job queue (PyODPS
 * `get_queueing_info`, `list_instance_queueing_infos`): read from
 * `GET /projects/{project}/instances/{id}?cached`, or listed by
 * `GET /projects/{project}/cachedinstances`. Every field is set by the gateway.
 */
export interface QueueingInfo {
  /**
   * The project of the instance.
   */
  'project'?: (string);
  /**
   * The instance id.
   */
  'instance_id'?: (string);
  /**
   * The lifecycle state MaxCompute reports for the instance (its `status`). STATE_UNSPECIFIED
   * when MaxCompute said `Unknown` or nothing.
   */
  'state'?: (_maxcompute_gateway_v1_Instance_State);
  /**
   * The job priority, 0 (highest) to 9 (`instancePriority`). Unset when not reported.
   */
  'priority'?: (number);
  /**
   * The instance's place among the jobs waiting for a slot in its queue: 1 means it is next
   * (MaxCompute's `waitPos`). Unset when it is not waiting (it runs, or has ended) or
   * MaxCompute did not say.
   */
  'position'?: (number | string | Long);
  /**
   * How far the instance is, as MaxCompute reports it (`instanceProcess`, also spelled
   * `instanceProgress`), passed through. Unset when not reported.
   */
  'progress'?: (number | string);
  /**
   * The job name (`jobName`). Empty when the job has none.
   */
  'job_name'?: (string);
  /**
   * The task that is running or waiting (`taskName`), for example `AnonymousSQLTask`.
   */
  'task_name'?: (string);
  /**
   * The type of that task (`taskType`), for example `SQL`.
   */
  'task_type'?: (string);
  /**
   * The account that submitted the instance (`userAccount`).
   */
  'user_account'?: (string);
  /**
   * When the instance started (`startTime`), in UTC. Unset when unknown.
   */
  'start_time'?: (_google_protobuf_Timestamp | null);
  /**
   * Every property MaxCompute reported for the instance, as its JSON object, including those
   * this message has no field for (for example `subStatusHistory`).
   */
  'properties'?: (_google_protobuf_Struct | null);
  /**
   * How many jobs wait for a slot in the instance's queue, this one included when it waits
   * (MaxCompute's `queueLength`). Unset when MaxCompute did not say.
   */
  'queue_length'?: (number | string | Long);
  '_priority'?: "priority";
  '_position'?: "position";
  '_progress'?: "progress";
  '_queue_length'?: "queue_length";
}

/**
 * QueueingInfo is where an instance stands in MaxCompute's job queue (PyODPS
 * `get_queueing_info`, `list_instance_queueing_infos`): read from
 * `GET /projects/{project}/instances/{id}?cached`, or listed by
 * `GET /projects/{project}/cachedinstances`. Every field is set by the gateway.
 */
export interface QueueingInfo__Output {
  /**
   * The project of the instance.
   */
  'project': (string);
  /**
   * The instance id.
   */
  'instance_id': (string);
  /**
   * The lifecycle state MaxCompute reports for the instance (its `status`). STATE_UNSPECIFIED
   * when MaxCompute said `Unknown` or nothing.
   */
  'state': (_maxcompute_gateway_v1_Instance_State__Output);
  /**
   * The job priority, 0 (highest) to 9 (`instancePriority`). Unset when not reported.
   */
  'priority'?: (number);
  /**
   * The instance's place among the jobs waiting for a slot in its queue: 1 means it is next
   * (MaxCompute's `waitPos`). Unset when it is not waiting (it runs, or has ended) or
   * MaxCompute did not say.
   */
  'position'?: (string);
  /**
   * How far the instance is, as MaxCompute reports it (`instanceProcess`, also spelled
   * `instanceProgress`), passed through. Unset when not reported.
   */
  'progress'?: (number);
  /**
   * The job name (`jobName`). Empty when the job has none.
   */
  'job_name': (string);
  /**
   * The task that is running or waiting (`taskName`), for example `AnonymousSQLTask`.
   */
  'task_name': (string);
  /**
   * The type of that task (`taskType`), for example `SQL`.
   */
  'task_type': (string);
  /**
   * The account that submitted the instance (`userAccount`).
   */
  'user_account': (string);
  /**
   * When the instance started (`startTime`), in UTC. Unset when unknown.
   */
  'start_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * Every property MaxCompute reported for the instance, as its JSON object, including those
   * this message has no field for (for example `subStatusHistory`).
   */
  'properties': (_google_protobuf_Struct__Output | null);
  /**
   * How many jobs wait for a slot in the instance's queue, this one included when it waits
   * (MaxCompute's `queueLength`). Unset when MaxCompute did not say.
   */
  'queue_length'?: (string);
}
