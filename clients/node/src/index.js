// Public surface of the mcgateway Node.js client.
export { GatewayClient, connect } from './client.js';
export { GatewayError, errorReason, decodeDetails } from './errors.js';
export { PROTO_DIR, SERVICE_CONFIG_PATH, loadGrpcPackage, loadServiceConfig } from './proto.js';
export { status } from '@grpc/grpc-js';
