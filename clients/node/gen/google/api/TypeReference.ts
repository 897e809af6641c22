// Original file: google/api/field_info.proto


/**
 * A reference to a message type, for use in [FieldInfo][google.api.FieldInfo].
 */
export interface TypeReference {
  /**
   * The name of the type that the annotated, generic field may represent.
   * If the type is in the same protobuf package, the value can be the simple
   * message name e.g., `"MyMessage"`. Otherwise, the value must be the
   * fully-qualified message name e.g., `"google.library.v1.Book"`.
   * 
   * If the type(s) are unknown to the service (e.g. the field accepts generic
   * user input), use the wildcard `"*"` to denote this behavior.
   * 
   * See [AIP-202](https://google.aip.dev/202#type-references) for more details.
   */
  'type_name'?: (string);
}

/**
 * A reference to a message type, for use in [FieldInfo][google.api.FieldInfo].
 */
export interface TypeReference__Output {
  /**
   * The name of the type that the annotated, generic field may represent.
   * If the type is in the same protobuf package, the value can be the simple
   * message name e.g., `"MyMessage"`. Otherwise, the value must be the
   * fully-qualified message name e.g., `"google.library.v1.Book"`.
   * 
   * If the type(s) are unknown to the service (e.g. the field accepts generic
   * user input), use the wildcard `"*"` to denote this behavior.
   * 
   * See [AIP-202](https://google.aip.dev/202#type-references) for more details.
   */
  'type_name': (string);
}
