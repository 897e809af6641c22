// The helpers' reconnecting after UNAVAILABLE (clients/README.md, "The helper set"): no limit but
// the caller's deadline, waitUntilDone riding out UNAVAILABLE, and getTaskResult's text.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import * as grpc from '@grpc/grpc-js';

import { connect, loadGrpcPackage } from '../src/index.js';

const unavailable = { code: grpc.status.UNAVAILABLE, details: 'not yet' };

describe('reconnecting helpers', { timeout: 30_000 }, () => {
  const state = { watchFail: 0, waitFail: 0, watchCalls: 0, waitCalls: 0 };
  let server;
  let client;

  before(async () => {
    server = new grpc.Server();
    server.addService(loadGrpcPackage().maxcompute.gateway.v1.InstanceService.service, {
      WatchInstance(call) {
        if (++state.watchCalls <= state.watchFail) return call.emit('error', unavailable);
        const id = call.request.instance_id;
        call.write({ event_type: 'SNAPSHOT', sequence: 1, instance: { instance_id: id, state: 'RUNNING' } });
        call.write({ event_type: 'TERMINAL', sequence: 2, instance: { instance_id: id, state: 'TERMINATED', successful: true } });
        call.end();
      },
      WaitInstance(call, callback) {
        const n = ++state.waitCalls;
        if (n <= state.waitFail) return callback(unavailable);
        const id = call.request.instance_id;
        const instance = n === state.waitFail + 1
          ? { instance_id: id, state: 'RUNNING' }
          : { instance_id: id, state: 'TERMINATED', successful: true };
        callback(null, { instance });
      },
      GetTaskResult(call, callback) {
        if (call.request.task_name !== 'second') return callback({ code: grpc.status.NOT_FOUND, details: 'no such task' });
        callback(null, { task_name: 'second', content: '"n"\n2\n' });
      },
      ListTaskResults(call, callback) {
        if (call.request.page_size !== 1) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'want page_size 1' });
        callback(null, { task_results: [{ task_name: 'first', content: '"n"\n1\n' }], next_page_token: 'more' });
      },
    });
    const port = await new Promise((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    client = connect(`127.0.0.1:${port}`, { env: {}, reconnectBackoffMs: [1, 4] });
  });

  after(() => {
    client?.close();
    server?.forceShutdown();
  });

  beforeEach(() => Object.assign(state, { watchFail: 0, waitFail: 0, watchCalls: 0, waitCalls: 0 }));

  test('watch reconnects without a count limit', async () => {
    state.watchFail = 12;
    const done = await client.watchUntilDone('i1');
    assert.equal(done.successful, true);
    assert.equal(state.watchCalls, 13);
  });

  test('watch gives up with DEADLINE_EXCEEDED when its timeout passes', async () => {
    state.watchFail = Infinity;
    await assert.rejects(client.watchUntilDone('i1', { timeoutMs: 300 }), (err) => err.code === grpc.status.DEADLINE_EXCEEDED);
    assert.ok(state.watchCalls > 5, `reconnecting must not stop after a count: ${state.watchCalls}`);
  });

  test('waitUntilDone rides out UNAVAILABLE', async () => {
    state.waitFail = 9;
    const done = await client.waitUntilDone('i2');
    assert.equal(done.state, 'TERMINATED');
    assert.equal(done.successful, true);
    assert.ok(state.waitCalls >= 11, `9 UNAVAILABLE, running, terminated: ${state.waitCalls} calls`);
  });

  test('getTaskResult returns the text', async () => {
    assert.equal(await client.getTaskResult('i3', 'second'), '"n"\n2\n');
    assert.equal(await client.getTaskResult('i3'), '"n"\n1\n', "the first task's");
    await assert.rejects(client.getTaskResult('i3', 'nope'), (err) => err.code === grpc.status.NOT_FOUND);
  });
});
