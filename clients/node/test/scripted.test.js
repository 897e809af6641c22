// Tests on a scripted InstanceService (a real @grpc/grpc-js server on a loopback port) for what
// the gateway cannot be made to do on demand: fail reads with UNAVAILABLE, so the service
// config's retry policy shows, and end watch streams at chosen points.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import * as grpc from '@grpc/grpc-js';

import { GatewayError, connect, loadGrpcPackage } from '../src/index.js';

const unavailable = (details) => ({ code: grpc.status.UNAVAILABLE, details });

describe('against a scripted server', { timeout: 30_000 }, () => {
  const calls = { get: 0, stop: 0, watch: 0 };
  let server;
  let client;

  before(async () => {
    server = new grpc.Server();
    server.addService(loadGrpcPackage().maxcompute.gateway.v1.InstanceService.service, {
      GetInstance(call, callback) {
        if (++calls.get <= 2) return callback(unavailable('upstream hiccup'));
        callback(null, { instance: { id: call.request.instance_id } });
      },
      StopInstance(_call, callback) {
        calls.stop++;
        callback(unavailable('upstream hiccup'));
      },
      // The first stream ends with UNAVAILABLE after a snapshot, the next one terminates.
      WatchInstance(call) {
        const first = ++calls.watch === 1; // counted before anything is sent
        const id = call.request.instance_id;
        call.write({ event_type: 'WATCH_EVENT_TYPE_SNAPSHOT', sequence: 1, instance: { id, status: 'STATUS_RUNNING' } });
        if (first) return call.emit('error', unavailable('maximum stream age'));
        call.write({
          event_type: 'WATCH_EVENT_TYPE_TERMINAL',
          sequence: 2,
          instance: { id, status: 'STATUS_TERMINATED', successful: true },
        });
        call.end();
      },
    });
    const port = await new Promise((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    client = connect(`127.0.0.1:${port}`, { insecure: true });
  });

  after(() => {
    client?.close();
    server?.forceShutdown();
  });

  beforeEach(() => {
    calls.get = calls.stop = calls.watch = 0;
  });

  test('the service config retries reads only', async () => {
    const inst = await client.getInstance('i1');
    assert.equal(inst.id, 'i1');
    assert.equal(calls.get, 3, 'two UNAVAILABLE answers were retried');
    await assert.rejects(client.stopInstance('i1'), (err) => err instanceof GatewayError && err.code === grpc.status.UNAVAILABLE);
    assert.equal(calls.stop, 1, 'writes are not retried');
  });

  test('watch resumes after UNAVAILABLE with a new snapshot', async () => {
    const types = [];
    for await (const event of client.watch('i2')) types.push(event.event_type);
    assert.deepEqual(types, ['WATCH_EVENT_TYPE_SNAPSHOT', 'WATCH_EVENT_TYPE_SNAPSHOT', 'WATCH_EVENT_TYPE_TERMINAL']);
    assert.equal(calls.watch, 2);
  });

  test('an error thrown by the loop body ends the watch as is', async () => {
    const stop = new Error('seen enough');
    await assert.rejects(
      client.watchUntilDone('i3', {
        onEvent: () => {
          throw stop;
        },
      }),
      (err) => err === stop,
    );
    assert.equal(calls.watch, 1, 'not retried');
  });

  test('an aborted signal cancels the watch', async () => {
    const controller = new AbortController();
    await assert.rejects(
      (async () => {
        for await (const event of client.watch('i4', { signal: controller.signal })) {
          assert.equal(event.event_type, 'WATCH_EVENT_TYPE_SNAPSHOT');
          controller.abort();
        }
      })(),
      (err) => err.name === 'AbortError',
    );
  });
});
