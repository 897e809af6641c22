// Public surface of the mcgateway Node.js client.
export { GatewayClient, connect, newRequestId } from './client.js';
export {
  ERROR_DOMAIN,
  GatewayError,
  MAXCOMPUTE_CODE_KEY,
  Reason,
  decodeDetails,
  errorReason,
  maxcomputeCode,
} from './errors.js';
export { PROTO_DIR, SERVICE_CONFIG_PATH, loadGrpcPackage, loadServiceConfig } from './proto.js';
export { status } from '@grpc/grpc-js';
