// executeSql's resuming against a scripted server (clients/README.md, "Adding helpers"): after
// the first event it follows the named instance with WatchInstance, never resubmitting; before
// it, it calls ExecuteSql again with the same request id.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import * as grpc from '@grpc/grpc-js';

import { connect, loadGrpcPackage } from '../src/index.js';

const unavailable = { code: grpc.status.UNAVAILABLE, details: 'not yet' };

describe('executeSql resuming', { timeout: 30_000 }, () => {
  const state = { failBefore: 0, executes: [], watches: [] };
  let server;
  let client;

  before(async () => {
    server = new grpc.Server();
    server.addService(loadGrpcPackage().maxcompute.gateway.v1.InstanceService.service, {
      ExecuteSql(call) {
        state.executes.push(call.request);
        const n = state.executes.length;
        if (n <= state.failBefore) return call.emit('error', unavailable);
        call.write({ event_type: 'SNAPSHOT', sequence: 1, instance: { instance_id: 'x1', state: 'RUNNING' }, reattached: n > 1 });
        call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'max stream age' });
      },
      WatchInstance(call) {
        state.watches.push(call.request);
        const id = call.request.instance_id;
        call.write({ event_type: 'SNAPSHOT', sequence: 2, instance: { instance_id: id, state: 'RUNNING' } });
        call.write({ event_type: 'TERMINAL', sequence: 3, instance: { instance_id: id, state: 'TERMINATED', successful: true } });
        call.end();
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

  beforeEach(() => {
    state.executes = [];
    state.watches = [];
  });

  const run = async () => {
    const events = [];
    for await (const event of client.executeSql('select 1', { project: 'p', stopOnCancel: true, omitProgress: true })) {
      events.push(event);
    }
    return events;
  };

  test('resumes with WatchInstance, never resubmitting', async () => {
    state.failBefore = 0;
    const events = await run();
    assert.deepEqual(events.map((e) => e.event_type), ['SNAPSHOT', 'SNAPSHOT', 'TERMINAL']);
    assert.equal(events.at(-1).instance.successful, true);
    assert.equal(state.executes.length, 1);
    const req = state.executes[0];
    assert.match(req.request_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(req.stop_on_cancel, true);
    assert.equal(req.omit_progress, true);
    assert.equal(state.watches.length, 1);
    assert.equal(state.watches[0].instance_id, 'x1');
    assert.equal(state.watches[0].project, 'p');
    assert.equal(state.watches[0].omit_progress, true);
  });

  test('before the first event, calls again with the same request id', async () => {
    state.failBefore = 2;
    const events = await run();
    assert.equal(state.executes.length, 3);
    assert.ok(state.executes.every((r) => r.request_id === state.executes[0].request_id));
    assert.ok(events.every((e) => e.reattached), 'events after a reattaching retry say reattached');
  });
});
