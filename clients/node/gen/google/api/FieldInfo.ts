// Original file: google/api/field_info.proto

import type { TypeReference as _google_api_TypeReference, TypeReference__Output as _google_api_TypeReference__Output } from '../../google/api/TypeReference.js';

// Original file: google/api/field_info.proto

/**
 * The standard format of a field value. The supported formats are all backed
 * by either an RFC defined by the IETF or a Google-defined AIP.
 */
export const _google_api_FieldInfo_Format = {
  /**
   * Default, unspecified value.
   */
  FORMAT_UNSPECIFIED: 'FORMAT_UNSPECIFIED',
  /**
   * Universally Unique Identifier, version 4, value as defined by
   * https://datatracker.ietf.org/doc/html/rfc4122. The value may be
   * normalized to entirely lowercase letters. For example, the value
   * `F47AC10B-58CC-0372-8567-0E02B2C3D479` would be normalized to
   * `f47ac10b-58cc-0372-8567-0e02b2c3d479`.
   */
  UUID4: 'UUID4',
  /**
   * Internet Protocol v4 value as defined by [RFC
   * 791](https://datatracker.ietf.org/doc/html/rfc791). The value may be
   * condensed, with leading zeros in each octet stripped. For example,
   * `001.022.233.040` would be condensed to `1.22.233.40`.
   */
  IPV4: 'IPV4',
  /**
   * Internet Protocol v6 value as defined by [RFC
   * 2460](https://datatracker.ietf.org/doc/html/rfc2460). The value may be
   * normalized to entirely lowercase letters with zeros compressed, following
   * [RFC 5952](https://datatracker.ietf.org/doc/html/rfc5952). For example,
   * the value `2001:0DB8:0::0` would be normalized to `2001:db8::`.
   */
  IPV6: 'IPV6',
  /**
   * An IP address in either v4 or v6 format as described by the individual
   * values defined herein. See the comments on the IPV4 and IPV6 types for
   * allowed normalizations of each.
   */
  IPV4_OR_IPV6: 'IPV4_OR_IPV6',
} as const;

/**
 * The standard format of a field value. The supported formats are all backed
 * by either an RFC defined by the IETF or a Google-defined AIP.
 */
export type _google_api_FieldInfo_Format =
  /**
   * Default, unspecified value.
   */
  | 'FORMAT_UNSPECIFIED'
  | 0
  /**
   * Universally Unique Identifier, version 4, value as defined by
   * https://datatracker.ietf.org/doc/html/rfc4122. The value may be
   * normalized to entirely lowercase letters. For example, the value
   * `F47AC10B-58CC-0372-8567-0E02B2C3D479` would be normalized to
   * `f47ac10b-58cc-0372-8567-0e02b2c3d479`.
   */
  | 'UUID4'
  | 1
  /**
   * Internet Protocol v4 value as defined by [RFC
   * 791](https://datatracker.ietf.org/doc/html/rfc791). The value may be
   * condensed, with leading zeros in each octet stripped. For example,
   * `001.022.233.040` would be condensed to `1.22.233.40`.
   */
  | 'IPV4'
  | 2
  /**
   * Internet Protocol v6 value as defined by [RFC
   * 2460](https://datatracker.ietf.org/doc/html/rfc2460). The value may be
   * normalized to entirely lowercase letters with zeros compressed, following
   * [RFC 5952](https://datatracker.ietf.org/doc/html/rfc5952). For example,
   * the value `2001:0DB8:0::0` would be normalized to `2001:db8::`.
   */
  | 'IPV6'
  | 3
  /**
   * An IP address in either v4 or v6 format as described by the individual
   * values defined herein. See the comments on the IPV4 and IPV6 types for
   * allowed normalizations of each.
   */
  | 'IPV4_OR_IPV6'
  | 4

/**
 * The standard format of a field value. The supported formats are all backed
 * by either an RFC defined by the IETF or a Google-defined AIP.
 */
export type _google_api_FieldInfo_Format__Output = typeof _google_api_FieldInfo_Format[keyof typeof _google_api_FieldInfo_Format]

/**
 * Rich semantic information of an API field beyond basic typing.
 */
export interface FieldInfo {
  /**
   * The standard format of a field value. This does not explicitly configure
   * any API consumer, just documents the API's format for the field it is
   * applied to.
   */
  'format'?: (_google_api_FieldInfo_Format);
  /**
   * The type(s) that the annotated, generic field may represent.
   * 
   * Currently, this must only be used on fields of type `google.protobuf.Any`.
   * Supporting other generic types may be considered in the future.
   */
  'referenced_types'?: (_google_api_TypeReference)[];
}

/**
 * Rich semantic information of an API field beyond basic typing.
 */
export interface FieldInfo__Output {
  /**
   * The standard format of a field value. This does not explicitly configure
   * any API consumer, just documents the API's format for the field it is
   * applied to.
   */
  'format': (_google_api_FieldInfo_Format__Output);
  /**
   * The type(s) that the annotated, generic field may represent.
   * 
   * Currently, this must only be used on fields of type `google.protobuf.Any`.
   * Supporting other generic types may be considered in the future.
   */
  'referenced_types': (_google_api_TypeReference__Output)[];
}
