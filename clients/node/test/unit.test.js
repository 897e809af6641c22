// Unit tests that need no gateway: the contract copy, service config and error details.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as grpc from '@grpc/grpc-js';

import {
  ERROR_DOMAIN,
  GatewayError,
  PROTO_DIR,
  Reason,
  connect,
  decodeDetails,
  errorReason,
  loadServiceConfig,
  maxcomputeCode,
  newRequestId,
} from '../src/index.js';
import { loadGrpcPackage, rpcTypes } from '../src/proto.js';
import { toGatewayError } from '../src/errors.js';

const REPO_PROTO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'proto');

test('the package proto copy matches the repository proto/', () => {
  const copies = [
    ...['instance.proto', 'instance_service.proto', 'service_config.json'].map((name) => {
      const rel = path.join('maxcompute', 'gateway', 'v1', name);
      return [rel, path.join(REPO_PROTO, rel)];
    }),
    // The googleapis annotations the contract imports, vendored under proto/third_party.
    ...['field_behavior.proto', 'field_info.proto'].map((name) => {
      const rel = path.join('google', 'api', name);
      return [rel, path.join(REPO_PROTO, 'third_party', 'googleapis', rel)];
    }),
  ];
  for (const [rel, source] of copies) {
    assert.equal(
      readFileSync(path.join(PROTO_DIR, rel), 'utf8'),
      readFileSync(source, 'utf8'),
      `${rel} is stale: run clients/node/generate.sh`,
    );
  }
});

test('messages follow the v1 contract: nested states, optional outcome, SqlJob', () => {
  const { InstanceService } = loadGrpcPackage().maxcompute.gateway.v1;
  const get = InstanceService.service.GetInstance;
  const roundTrip = (inst) => get.responseDeserialize(get.responseSerialize(inst));
  const running = roundTrip({ instance_id: 'a', state: 'RUNNING' });
  assert.equal(running.state, 'RUNNING');
  assert.ok(!('successful' in running) && !('priority' in running), 'unset optional fields stay absent');
  assert.ok(!('_successful' in running), 'no virtual oneof properties');
  const failed = roundTrip({ instance_id: 'b', state: 'TERMINATED', successful: false, priority: 0 });
  assert.equal(failed.successful, false, 'a set false outcome is kept');
  assert.equal(failed.priority, 0, 'a set priority 0 is kept');
  assert.equal(roundTrip({ state: 9 }).state, 9, 'an unknown enum value arrives as its number');
  const submit = InstanceService.service.SubmitSql;
  const request = submit.requestDeserialize(
    submit.requestSerialize({ job: { query: 'select 1', hints: { a: 'b' } }, request_id: newRequestId() }),
  );
  assert.equal(request.job.query, 'select 1');
  assert.deepEqual(request.job.hints, { a: 'b' });
  assert.ok(!('priority' in request.job));
});

test('newRequestId makes random canonical UUID4s', () => {
  const ids = new Set();
  for (let i = 0; i < 1000; i++) {
    const id = newRequestId();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    ids.add(id);
  }
  assert.equal(ids.size, 1000);
});

test('the service config parses and configures every method family', () => {
  const config = JSON.parse(loadServiceConfig());
  assert.ok(config.methodConfig.length > 0);
  const client = connect('127.0.0.1:1', { env: {} });
  client.close();
});

test('a target without a port is rejected before dialling', () => {
  assert.throws(() => connect('127.0.0.1', { env: {} }), {
    name: 'TypeError',
    message: 'invalid target "127.0.0.1": missing port; give host:port, for example 127.0.0.1:443',
  });
});

function serviceError(code, details) {
  const types = rpcTypes();
  const any = (type, name, value) => ({
    type_url: `type.googleapis.com/${name}`,
    value: type.encode(type.fromObject(value)).finish(),
  });
  const status = types.Status.encode(
    types.Status.fromObject({
      code,
      message: 'instance not found',
      details: details.map(([type, name, value]) => any(type, name, value)),
    }),
  ).finish();
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status));
  return Object.assign(new Error(`${code} NOT_FOUND: instance not found`), {
    code,
    details: 'instance not found',
    metadata,
  });
}

test('ErrorInfo, RetryInfo and BadRequest details are exposed', () => {
  const types = rpcTypes();
  const metadata = { instance_id: 'x1', maxcompute_code: 'NoSuchObject', upstream_request_id: '5F1A' };
  const raw = serviceError(grpc.status.NOT_FOUND, [
    [types.ErrorInfo, 'google.rpc.ErrorInfo', { reason: Reason.INSTANCE_NOT_FOUND, domain: ERROR_DOMAIN, metadata }],
    [types.RetryInfo, 'google.rpc.RetryInfo', { retry_delay: { seconds: 1, nanos: 500_000_000 } }],
    [types.BadRequest, 'google.rpc.BadRequest', { field_violations: [{ field: 'page_size', description: 'negative' }] }],
    [types.RequestInfo, 'google.rpc.RequestInfo', { request_id: 'gw-42' }],
  ]);
  assert.equal(errorReason(raw), 'INSTANCE_NOT_FOUND');
  assert.equal(maxcomputeCode(raw), 'NoSuchObject');
  const err = toGatewayError(raw);
  assert.ok(err instanceof GatewayError);
  assert.equal(err.code, grpc.status.NOT_FOUND);
  assert.equal(err.codeName, 'NOT_FOUND');
  assert.equal(err.reason, 'INSTANCE_NOT_FOUND');
  assert.equal(err.domain, 'mcgateway.github.io');
  assert.equal(err.maxcomputeCode, 'NoSuchObject');
  assert.equal(errorReason(err), 'INSTANCE_NOT_FOUND');
  assert.equal(maxcomputeCode(err), 'NoSuchObject');
  assert.deepEqual(err.metadata, metadata);
  assert.equal(err.retryDelayMs, 1500);
  assert.equal(err.requestId, '5F1A');
  assert.equal(err.gatewayRequestId, 'gw-42');
  assert.equal(err.fieldViolations[0].field, 'page_size');
  assert.equal(err.cause, raw);
  assert.equal(err.message, 'NOT_FOUND (INSTANCE_NOT_FOUND, MaxCompute NoSuchObject): instance not found');
});

test('a reason counts only in the gateway domain', () => {
  const types = rpcTypes();
  const raw = serviceError(grpc.status.NOT_FOUND, [
    [types.ErrorInfo, 'google.rpc.ErrorInfo', { reason: 'NoSuchObject', domain: 'mcgateway' }],
  ]);
  assert.equal(errorReason(raw), '');
  const err = toGatewayError(raw);
  assert.equal(err.reason, '');
  assert.equal(err.domain, 'mcgateway');
  assert.equal(err.message, 'NOT_FOUND: instance not found');
});

test('errors without details give an empty reason', () => {
  const plain = Object.assign(new Error('boom'), { code: grpc.status.INTERNAL, metadata: new grpc.Metadata() });
  assert.equal(errorReason(plain), '');
  assert.deepEqual(decodeDetails(new Error('x')), {});
  assert.equal(toGatewayError(plain).reason, '');
  assert.equal(toGatewayError(plain).maxcomputeCode, '');
  assert.equal(toGatewayError(plain).requestId, '');
  assert.equal(toGatewayError(plain).gatewayRequestId, '');
  assert.equal(maxcomputeCode(plain), '');
  const other = new RangeError('not grpc');
  assert.equal(toGatewayError(other), other);
});
