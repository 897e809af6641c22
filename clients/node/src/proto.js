// Loads the contract at run time: the service definition for @grpc/grpc-js, the service config
// and google.rpc.Status decoding for error details. The .proto files are the package's copy of
// the repository's proto/ with the googleapis annotation protos it imports (google/api) and
// google/rpc for error details (generate.sh refreshes it; a test checks it matches).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

/**
 * Directory holding the package's copy of proto/, plus google/api (field_behavior.proto and
 * field_info.proto, which the contract imports) and google/rpc (for error details).
 */
export const PROTO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'proto');

/** Path of the service config (per-method timeouts and retries) the client uses by default. */
export const SERVICE_CONFIG_PATH = path.join(PROTO_DIR, 'maxcompute', 'gateway', 'v1', 'service_config.json');

// generate.sh passes the same options to proto-loader-gen-types, so gen/*.d.ts describes these.
// `defaults` fills in unset scalars, but not proto3 `optional` fields (Instance.successful,
// Instance.priority): those stay absent when unset, so `'successful' in instance` tells whether
// the outcome is known. No `oneofs`: the contract has no oneof, and it would only add virtual
// `_successful`/`_priority` properties for the optional fields' synthetic oneofs.
const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true };

let cached;

/** The loaded gRPC package, with `maxcompute.gateway.v1.InstanceService` as a client class. */
export function loadGrpcPackage() {
  if (!cached) {
    // google/api/*.proto resolve from PROTO_DIR too, and their google/protobuf/descriptor.proto
    // from proto-loader's bundled well-known types.
    const definition = protoLoader.loadSync('maxcompute/gateway/v1/instance_service.proto', {
      ...LOADER_OPTIONS,
      includeDirs: [PROTO_DIR],
    });
    cached = grpc.loadPackageDefinition(definition);
  }
  return cached;
}

/** The service config JSON text of proto/. */
export function loadServiceConfig() {
  return readFileSync(SERVICE_CONFIG_PATH, 'utf8');
}

let rpcRoot;

/** protobufjs types for google.rpc.Status and its error details. */
export function rpcTypes() {
  if (!rpcRoot) {
    const root = new protobuf.Root();
    // Well-known types are bundled with protobufjs; everything else is under PROTO_DIR.
    root.resolvePath = (_origin, target) =>
      target.startsWith('google/protobuf/') ? target : path.join(PROTO_DIR, target);
    root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
    rpcRoot = root;
  }
  return {
    Status: rpcRoot.lookupType('google.rpc.Status'),
    ErrorInfo: rpcRoot.lookupType('google.rpc.ErrorInfo'),
    RetryInfo: rpcRoot.lookupType('google.rpc.RetryInfo'),
    BadRequest: rpcRoot.lookupType('google.rpc.BadRequest'),
    RequestInfo: rpcRoot.lookupType('google.rpc.RequestInfo'),
  };
}
