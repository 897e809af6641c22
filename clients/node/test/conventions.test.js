// The connection conventions of clients/README.md: target validation (with the documented
// messages), the TLS decision and the MCGW_* environment variables, explicit options winning.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import tls from 'node:tls';

import * as grpc from '@grpc/grpc-js';

import { DEFAULT_TARGET, connect, isLoopback, loadGrpcPackage, parseTarget, parseTlsMode } from '../src/index.js';

const CONVENTIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');
const ROW = /^\| (`[^|]+`) \| `(invalid target [^|]+)` \|$/;

test('targets are refused with the messages of clients/README.md', () => {
  let rows = 0;
  for (const line of readFileSync(CONVENTIONS, 'utf8').split('\n')) {
    const row = ROW.exec(line);
    if (!row) continue;
    rows++;
    const given = [...row[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    given.forEach((target, i) => {
      assert.throws(() => parseTarget(target), TypeError, target);
      assert.throws(() => connect(target, { env: {} }), TypeError, target);
      if (i === 0) assert.throws(() => parseTarget(target), { message: row[2] });
    });
  }
  assert.ok(rows >= 6, `rows of the target table: ${rows}`);
});

test('both target forms are accepted', () => {
  for (const given of ['127.0.0.1:50051', 'localhost:1', 'gw.example.com:443', 'gw_1:65535', '[::1]:50051', '[fd00::2]:443']) {
    const client = connect(given, { env: {} });
    assert.equal(client.target, given);
    client.close();
  }
  assert.deepEqual(parseTarget('[::1]:7'), { host: '::1', port: 7 });
});

test('loopback is judged as written', () => {
  for (const host of ['localhost', 'LocalHost', '127.0.0.1', '127.255.0.9', '::1']) assert.ok(isLoopback(host), host);
  for (const host of ['vm', '10.0.0.1', '128.0.0.1', 'fd00::2', 'localhost.example.com']) assert.ok(!isLoopback(host), host);
});

// A real PEM certificate: the first of Node's bundled root CAs.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mcgw-conventions-'));
const CA = path.join(dir, 'ca.pem');
writeFileSync(CA, tls.rootCertificates[0]);

function usesTls(target, env, options = {}) {
  const client = connect(target, { env, ...options });
  client.close();
  return client.usesTls;
}

test('TLS is auto by default: plaintext only on loopback', () => {
  assert.equal(usesTls('127.0.0.1:1', {}), false);
  assert.equal(usesTls('127.9.9.9:1', {}), false);
  assert.equal(usesTls('localhost:1', {}), false);
  assert.equal(usesTls('[::1]:1', {}), false);
  assert.equal(usesTls('gw.example.com:443', {}), true);
  assert.equal(usesTls('vm:1', {}), true, 'a name that resolves to loopback is still a name');
  assert.equal(usesTls('10.0.0.1:1', {}), true);
  assert.equal(usesTls('127.0.0.1:1', { MCGW_TLS: 'on' }), true);
  assert.equal(usesTls('gw.example.com:1', { MCGW_TLS: 'OFF' }), false);
  assert.equal(usesTls('gw.example.com:1', { MCGW_TLS: 'auto' }), true);
  assert.equal(usesTls('127.0.0.1:1', { MCGW_CA_CERT: CA }), true, 'a CA means TLS');
  assert.equal(usesTls('127.0.0.1:1', {}, { rootCerts: readFileSync(CA) }), true);
  assert.equal(usesTls('127.0.0.1:1', { MCGW_TLS: 'off' }, { tls: 'on' }), true, "tls: 'on' beats MCGW_TLS");
  assert.equal(usesTls('gw:1', { MCGW_CA_CERT: CA }, { insecure: true }), false, 'insecure does not read MCGW_CA_CERT');
  assert.equal(parseTlsMode(' Auto '), 'auto');
});

test('contradictory or broken settings are refused', () => {
  assert.throws(() => usesTls('127.0.0.1:1', { MCGW_TLS: 'yes' }), { message: 'MCGW_TLS="yes": want auto, on or off' });
  assert.throws(() => usesTls('127.0.0.1:1', { MCGW_TLS: 'off', MCGW_CA_CERT: CA }), {
    message: 'a CA certificate (MCGW_CA_CERT) means TLS, but TLS is off (MCGW_TLS=off)',
  });
  assert.throws(() => usesTls('127.0.0.1:1', {}, { insecure: true, rootCerts: readFileSync(CA) }), {
    message: 'a CA certificate (rootCerts) means TLS, but TLS is off (insecure: true)',
  });
  assert.throws(() => usesTls('127.0.0.1:1', { MCGW_CA_CERT: `${CA}.missing` }), /reading the CA certificate \(MCGW_CA_CERT\)/);
  assert.throws(() => connect({ env: { MCGW_TARGET: 'https://gw:443' } }), /^TypeError: invalid target "https:\/\/gw:443": remove the scheme/);
  assert.throws(() => connect(42), TypeError);
});

test('the target comes from the environment unless given', () => {
  const fromEnv = connect({ env: { MCGW_TARGET: '[::1]:7' } });
  assert.equal(fromEnv.target, '[::1]:7');
  fromEnv.close();
  const byDefault = connect(undefined, { env: {} });
  assert.equal(byDefault.target, DEFAULT_TARGET);
  byDefault.close();
  const given = connect('127.0.0.1:9', { env: { MCGW_TARGET: '[::1]:7' } });
  assert.equal(given.target, '127.0.0.1:9');
  given.close();
});

// A server that answers GetInstance with the authorization header it received as the id.
let server;
let address;
before(async () => {
  server = new grpc.Server();
  server.addService(loadGrpcPackage().maxcompute.gateway.v1.InstanceService.service, {
    GetInstance(call, callback) {
      callback(null, { instance_id: call.metadata.get('authorization').join(',') });
    },
  });
  const port = await new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  address = `127.0.0.1:${port}`;
});
after(() => server?.forceShutdown());

test('the token comes from MCGW_TOKEN unless given', async () => {
  for (const [options, want] of [
    [{ env: { MCGW_TOKEN: 'from-env' } }, 'Bearer from-env'],
    [{ env: { MCGW_TOKEN: 'from-env' }, token: 'given' }, 'Bearer given'],
    [{ env: { MCGW_TOKEN: 'from-env' }, token: '' }, ''],
  ]) {
    const client = connect(address, options);
    try {
      assert.equal((await client.getInstance('x')).instance_id, want);
    } finally {
      client.close();
    }
  }
});

test('MCGW_TLS=on against a plaintext server fails: TLS was used', async () => {
  const client = connect(address, { env: { MCGW_TLS: 'on' } });
  try {
    await assert.rejects(client.getInstance('x', { timeoutMs: 10_000 }), (err) => err.code === grpc.status.UNAVAILABLE);
  } finally {
    client.close();
  }
});
