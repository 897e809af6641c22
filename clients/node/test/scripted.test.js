// Tests on a scripted InstanceService (a real @grpc/grpc-js server on a loopback port) for what
// the gateway cannot be made to do on demand: fail reads and submissions with UNAVAILABLE, so
// the service config's retry policy and submitSql's retries show, end watch streams at chosen
// points, and serve lists in small pages.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import * as grpc from '@grpc/grpc-js';

import { GatewayError, connect, loadGrpcPackage } from '../src/index.js';

const unavailable = (details) => ({ code: grpc.status.UNAVAILABLE, details });

describe('against a scripted server', { timeout: 30_000 }, () => {
  const calls = { get: 0, stop: 0, watch: 0, submitIds: [], listRequests: [], taskTokens: [] };
  let server;
  let client;

  before(async () => {
    server = new grpc.Server();
    server.addService(loadGrpcPackage().maxcompute.gateway.v1.InstanceService.service, {
      GetInstance(call, callback) {
        if (++calls.get <= 2) return callback(unavailable('upstream hiccup'));
        callback(null, { instance_id: call.request.instance_id, state: 'RUNNING' });
      },
      // The first call fails with UNAVAILABLE; later ones create instance N (N = calls so far).
      SubmitSql(call, callback) {
        calls.submitIds.push(call.request.request_id);
        const n = calls.submitIds.length;
        if (n === 1) return callback(unavailable('upstream hiccup'));
        if (!call.request.job?.query) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'no query' });
        callback(null, { instance: { instance_id: String(n), state: 'RUNNING' } });
      },
      // Three pages of two instances.
      ListInstances(call, callback) {
        calls.listRequests.push(call.request);
        const page = Number(call.request.page_token || 0);
        const instances = [0, 1].map((i) => ({ instance_id: `i${2 * page + i}`, state: call.request.state_filter }));
        callback(null, { instances, next_page_token: page < 2 ? String(page + 1) : '' });
      },
      // Five tasks in pages of two.
      ListTasks(call, callback) {
        calls.taskTokens.push(call.request.page_token);
        const start = Number(call.request.page_token || 0);
        const tasks = [];
        for (let i = start; i < Math.min(start + 2, 5); i++) tasks.push({ name: `t${i}`, state: 'SUCCEEDED' });
        callback(null, { tasks, next_page_token: start + 2 < 5 ? String(start + 2) : '' });
      },
      StopInstance(_call, callback) {
        calls.stop++;
        callback(unavailable('upstream hiccup'));
      },
      // The first stream ends with UNAVAILABLE after a snapshot, the next one terminates.
      WatchInstance(call) {
        const first = ++calls.watch === 1; // counted before anything is sent
        const id = call.request.instance_id;
        call.write({ event_type: 'SNAPSHOT', sequence: 1, instance: { instance_id: id, state: 'RUNNING' } });
        if (first) return call.emit('error', unavailable('maximum stream age'));
        call.write({
          event_type: 'TERMINAL',
          sequence: 2,
          instance: { instance_id: id, state: 'TERMINATED', successful: true },
        });
        call.end();
      },
    });
    const port = await new Promise((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    client = connect(`127.0.0.1:${port}`, { env: {} });
  });

  after(() => {
    client?.close();
    server?.forceShutdown();
  });

  beforeEach(() => {
    calls.get = calls.stop = calls.watch = 0;
    calls.submitIds = [];
    calls.listRequests = [];
    calls.taskTokens = [];
  });

  test('the service config retries reads only', async () => {
    const inst = await client.getInstance('i1');
    assert.equal(inst.instance_id, 'i1');
    assert.equal(inst.state, 'RUNNING');
    assert.equal(calls.get, 3, 'two UNAVAILABLE answers were retried');
    await assert.rejects(client.stopInstance('i1'), (err) => err instanceof GatewayError && err.code === grpc.status.UNAVAILABLE);
    assert.equal(calls.stop, 1, 'writes are not retried');
  });

  test('watch resumes after UNAVAILABLE with a new snapshot', async () => {
    const types = [];
    for await (const event of client.watch('i2')) types.push(event.event_type);
    assert.deepEqual(types, ['SNAPSHOT', 'SNAPSHOT', 'TERMINAL']);
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
          assert.equal(event.event_type, 'SNAPSHOT');
          controller.abort();
        }
      })(),
      (err) => err.name === 'AbortError',
    );
  });

  test('submitSql retries UNAVAILABLE with one UUID4 request id', async () => {
    const uuid4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const inst = await client.submitSql('select 1', { priority: 3 });
    assert.equal(inst.instance_id, '2', 'the retry created the instance');
    const given = '0b4e7e2a-6c1f-4f7e-9d7a-2f0f7f3c9a10';
    assert.equal((await client.submitSql('select 2', { requestId: given })).instance_id, '3');
    await assert.rejects(client.submitSql(''), (err) => err.code === grpc.status.INVALID_ARGUMENT);
    const ids = calls.submitIds;
    assert.equal(ids.length, 4, 'one retry after UNAVAILABLE, none after INVALID_ARGUMENT');
    assert.match(ids[0], uuid4);
    assert.equal(ids[1], ids[0], 'the retry repeats the request id');
    assert.equal(ids[2], given);
    assert.match(ids[3], uuid4);
    assert.notEqual(ids[3], ids[0], 'a new submission gets a new request id');
  });

  test('listInstances walks every page with the same filters', async () => {
    const request = { state_filter: 'TERMINATED', min_start_time: { seconds: 1767322800, nanos: 0 }, page_size: 2 };
    const ids = [];
    for await (const inst of client.listInstances(request)) ids.push(inst.instance_id);
    assert.deepEqual(ids, ['i0', 'i1', 'i2', 'i3', 'i4', 'i5']);
    assert.ok(!('page_token' in request), 'the caller\'s request is not modified');
    assert.equal(calls.listRequests.length, 3);
    for (const r of calls.listRequests) {
      assert.equal(r.state_filter, 'TERMINATED');
      assert.equal(String(r.min_start_time.seconds), '1767322800');
      assert.equal(r.page_size, 2);
    }
  });

  test('listTasks walks every page and stops when the loop does', async () => {
    const names = [];
    for await (const task of client.listTasks('i1')) names.push(task.name);
    assert.deepEqual(names, ['t0', 't1', 't2', 't3', 't4']);
    assert.deepEqual(calls.taskTokens, ['', '2', '4']);
    calls.taskTokens = [];
    for await (const task of client.listTasks('i1')) {
      assert.equal(task.name, 't0');
      break;
    }
    assert.equal(calls.taskTokens.length, 1, 'no page fetched after the loop ended');
  });
});
