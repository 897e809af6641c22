// Public surface of the mcgateway Node.js client.
export { GatewayClient, connect, newRequestId } from './client.js';
export { DEFAULT_TARGET, ENV, isLoopback, parseTarget, parseTlsMode } from './connection.js';
export {
  ERROR_DOMAIN,
  GatewayError,
  MAXCOMPUTE_CODE_KEY,
  REQUEST_ID_KEY,
  Reason,
  decodeDetails,
  errorReason,
  maxcomputeCode,
} from './errors.js';
export { ResultReader, ResultTimestamp, resultValue } from './results.js';
export { PROTO_DIR, SERVICE_CONFIG_PATH, loadGrpcPackage, loadServiceConfig } from './proto.js';
export { status } from '@grpc/grpc-js';
