// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * ListSubInstancesRequest names the XFlow instance and the page to return.
 */
export interface ListSubInstancesRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the XFlow instance.
   */
  'instance_id'?: (string);
  /**
   * The maximum number of sub-instances to return. 0 means the default of 100; values above the
   * maximum of 1000 are lowered to it; negative values are INVALID_ARGUMENT.
   */
  'page_size'?: (number);
  /**
   * The `next_page_token` of a previous response for the same instance, or empty for the first
   * page. Tokens are opaque.
   */
  'page_token'?: (string);
}

/**
 * ListSubInstancesRequest names the XFlow instance and the page to return.
 */
export interface ListSubInstancesRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the XFlow instance.
   */
  'instance_id': (string);
  /**
   * The maximum number of sub-instances to return. 0 means the default of 100; values above the
   * maximum of 1000 are lowered to it; negative values are INVALID_ARGUMENT.
   */
  'page_size': (number);
  /**
   * The `next_page_token` of a previous response for the same instance, or empty for the first
   * page. Tokens are opaque.
   */
  'page_token': (string);
}
