// Unit tests that need no gateway: the contract copy, service config and error details.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as grpc from '@grpc/grpc-js';

import { GatewayError, PROTO_DIR, connect, decodeDetails, errorReason, loadServiceConfig } from '../src/index.js';
import { rpcTypes } from '../src/proto.js';
import { toGatewayError } from '../src/errors.js';

const REPO_PROTO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'proto');

test('the package proto copy matches the repository proto/', () => {
  for (const name of ['instance.proto', 'instance_service.proto', 'service_config.json']) {
    const rel = path.join('maxcompute', 'gateway', 'v1', name);
    assert.equal(
      readFileSync(path.join(PROTO_DIR, rel), 'utf8'),
      readFileSync(path.join(REPO_PROTO, rel), 'utf8'),
      `${rel} is stale: run clients/node/generate.sh`,
    );
  }
});

test('the service config parses and configures every method family', () => {
  const config = JSON.parse(loadServiceConfig());
  assert.ok(config.methodConfig.length > 0);
  const client = connect('127.0.0.1:1', { insecure: true });
  client.close();
});

test('an empty target is rejected', () => {
  assert.throws(() => connect(''), TypeError);
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
  const raw = serviceError(grpc.status.NOT_FOUND, [
    [types.ErrorInfo, 'google.rpc.ErrorInfo', { reason: 'NoSuchObject', domain: 'mcgateway', metadata: { instance_id: 'x1' } }],
    [types.RetryInfo, 'google.rpc.RetryInfo', { retry_delay: { seconds: 1, nanos: 500_000_000 } }],
    [types.BadRequest, 'google.rpc.BadRequest', { field_violations: [{ field: 'page_size', description: 'negative' }] }],
  ]);
  assert.equal(errorReason(raw), 'NoSuchObject');
  const err = toGatewayError(raw);
  assert.ok(err instanceof GatewayError);
  assert.equal(err.code, grpc.status.NOT_FOUND);
  assert.equal(err.codeName, 'NOT_FOUND');
  assert.equal(err.reason, 'NoSuchObject');
  assert.deepEqual(err.metadata, { instance_id: 'x1' });
  assert.equal(err.retryDelayMs, 1500);
  assert.equal(err.fieldViolations[0].field, 'page_size');
  assert.equal(err.cause, raw);
  assert.match(err.message, /NOT_FOUND \(NoSuchObject\): instance not found/);
});

test('errors without details give an empty reason', () => {
  const plain = Object.assign(new Error('boom'), { code: grpc.status.INTERNAL, metadata: new grpc.Metadata() });
  assert.equal(errorReason(plain), '');
  assert.deepEqual(decodeDetails(new Error('x')), {});
  assert.equal(toGatewayError(plain).reason, '');
  const other = new RangeError('not grpc');
  assert.equal(toGatewayError(other), other);
});
