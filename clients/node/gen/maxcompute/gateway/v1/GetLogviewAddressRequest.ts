// Original file: maxcompute/gateway/v1/instance_service.proto


/**
 * GetLogviewAddressRequest names the instance and how long its Logview URL stays valid.
 */
export interface GetLogviewAddressRequest {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project'?: (string);
  /**
   * The id of the instance.
   */
  'instance_id'?: (string);
  /**
   * How many hours the URL's token stays valid: 0 means PyODPS's default of 720 (30 days);
   * otherwise 1 to 2160. Other values are INVALID_ARGUMENT.
   */
  'hours'?: (number);
}

/**
 * GetLogviewAddressRequest names the instance and how long its Logview URL stays valid.
 */
export interface GetLogviewAddressRequest__Output {
  /**
   * The project of the instance; empty means the gateway's default project.
   */
  'project': (string);
  /**
   * The id of the instance.
   */
  'instance_id': (string);
  /**
   * How many hours the URL's token stays valid: 0 means PyODPS's default of 720 (30 days);
   * otherwise 1 to 2160. Other values are INVALID_ARGUMENT.
   */
  'hours': (number);
}
