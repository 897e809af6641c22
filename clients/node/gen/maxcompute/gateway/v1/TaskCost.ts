// Original file: maxcompute/gateway/v1/instance.proto

import type { Long } from '@grpc/proto-loader';

/**
 * TaskCost is what one task used, as MaxCompute's task summary reports it (`Cost` of the
 * summary JSON; PyODPS `get_task_cost`). Every field is set by the gateway.
 */
export interface TaskCost {
  /**
   * CPU used, in hundredths of a core-second (MaxCompute's `Cost.CPU`: 100 is one core for one
   * second).
   */
  'cpu_centicore_seconds_used'?: (number | string | Long);
  /**
   * Memory used, in megabyte-seconds (MaxCompute's `Cost.Memory`).
   */
  'memory_mb_seconds_used'?: (number | string | Long);
  /**
   * Bytes the task read (MaxCompute's `Cost.Input`).
   */
  'input_bytes'?: (number | string | Long);
}

/**
 * TaskCost is what one task used, as MaxCompute's task summary reports it (`Cost` of the
 * summary JSON; PyODPS `get_task_cost`). Every field is set by the gateway.
 */
export interface TaskCost__Output {
  /**
   * CPU used, in hundredths of a core-second (MaxCompute's `Cost.CPU`: 100 is one core for one
   * second).
   */
  'cpu_centicore_seconds_used': (string);
  /**
   * Memory used, in megabyte-seconds (MaxCompute's `Cost.Memory`).
   */
  'memory_mb_seconds_used': (string);
  /**
   * Bytes the task read (MaxCompute's `Cost.Input`).
   */
  'input_bytes': (string);
}
