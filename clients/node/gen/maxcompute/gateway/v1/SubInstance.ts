// Original file: maxcompute/gateway/v1/instance.proto


/**
 * SubInstance is one sub-instance of an XFlow (PAI) instance: XFlow jobs run their work as
 * separate MaxCompute instances, listed by `GET /projects/{project}/instances/{id}?xresult`.
 */
export interface SubInstance {
  /**
   * The node name of the sub-instance inside the XFlow, as PyODPS `get_xflow_sub_instances` keys
   * it: MaxCompute's identifier of the node within its XFlow instance.
   */
  'name'?: (string);
  /**
   * The MaxCompute instance id of the sub-instance; it can be passed to every RPC of
   * InstanceService.
   */
  'instance_id'?: (string);
  /**
   * A Logview URL for the sub-instance (valid for the default 720 hours), or empty when the
   * gateway could not produce one.
   */
  'logview_url'?: (string);
}

/**
 * SubInstance is one sub-instance of an XFlow (PAI) instance: XFlow jobs run their work as
 * separate MaxCompute instances, listed by `GET /projects/{project}/instances/{id}?xresult`.
 */
export interface SubInstance__Output {
  /**
   * The node name of the sub-instance inside the XFlow, as PyODPS `get_xflow_sub_instances` keys
   * it: MaxCompute's identifier of the node within its XFlow instance.
   */
  'name': (string);
  /**
   * The MaxCompute instance id of the sub-instance; it can be passed to every RPC of
   * InstanceService.
   */
  'instance_id': (string);
  /**
   * A Logview URL for the sub-instance (valid for the default 720 hours), or empty when the
   * gateway could not produce one.
   */
  'logview_url': (string);
}
