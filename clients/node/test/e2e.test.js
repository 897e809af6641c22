// End-to-end tests against a running gateway on the embedded emulator. tests/polyglot starts one
// and sets MCGW_TARGET (plaintext loopback, no token); without it these tests are skipped.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { GatewayError, connect, status } from '../src/index.js';

const TARGET = process.env.MCGW_TARGET;
const project = process.env.MCGW_PROJECT ?? '';
const HINT = 'mcemulator.duration_seconds';

describe('against a gateway', { skip: TARGET ? false : 'MCGW_TARGET is not set', timeout: 90_000 }, () => {
  let client;
  before(() => {
    client = connect(TARGET, { insecure: true, token: process.env.MCGW_TOKEN || undefined });
  });
  after(() => client?.close());

  const submit = async (seconds) => {
    const inst = await client.submitSql('select * from pyodps_iris limit 1', { project, hints: { [HINT]: seconds } });
    assert.ok(inst.id, 'submitted instance has an id');
    return inst;
  };

  const waitTerminated = async (id) => {
    for (;;) {
      const { instance } = await client.unary('WaitInstance', {
        project,
        instance_id: id,
        timeout: { seconds: 10, nanos: 0 },
      });
      if (instance.status === 'STATUS_TERMINATED') return instance;
    }
  };

  test('lists with paging', async () => {
    const submitted = [];
    for (let i = 0; i < 3; i++) submitted.push((await submit('0')).id);
    const seen = new Set();
    let pages = 0;
    let request = { project, page_size: 2 };
    for (;;) {
      const page = await client.unary('ListInstances', request);
      pages++;
      assert.ok(page.instances.length <= 2, 'page within page_size');
      for (const inst of page.instances) {
        assert.ok(!seen.has(inst.id), `listed once: ${inst.id}`);
        seen.add(inst.id);
      }
      if (!page.next_page_token) break;
      request = { ...request, page_token: page.next_page_token };
    }
    assert.ok(pages >= 2, `at least two pages, got ${pages}`);
    for (const id of submitted) assert.ok(seen.has(id), `submitted ${id} is listed`);

    let iterated = 0;
    for await (const inst of client.listInstances({ project, page_size: 2 })) {
      assert.ok(inst.id);
      iterated++;
    }
    assert.ok(iterated >= seen.size, 'the iterator walks every page');
  });

  test('gets an instance', async () => {
    const { id } = await submit('0');
    const inst = await client.getInstance(id, { project, timeoutMs: 20_000 });
    assert.equal(inst.id, id);
    assert.notEqual(inst.status, 'STATUS_UNSPECIFIED');
    assert.ok(inst.tasks.length > 0 && inst.tasks[0].name, 'instance has named tasks');
  });

  test('a missing instance is NOT_FOUND with reason NoSuchObject', async () => {
    await assert.rejects(client.getInstance('20000101000000000nosuchnd1', { project }), (err) => {
      assert.ok(err instanceof GatewayError);
      assert.equal(err.code, status.NOT_FOUND);
      assert.equal(err.reason, 'NoSuchObject');
      return true;
    });
  });

  test('stops a running instance', async () => {
    const { id } = await submit('60');
    await client.stopInstance(id, { project });
    const done = await waitTerminated(id);
    assert.equal(done.successful, false, 'a stopped instance is not successful');
  });

  test('stopping a terminated instance is FAILED_PRECONDITION', async () => {
    const { id } = await submit('0');
    await waitTerminated(id);
    await assert.rejects(client.stopInstance(id, { project }), (err) => {
      assert.equal(err.code, status.FAILED_PRECONDITION);
      assert.equal(err.reason, 'InvalidStateSetting');
      return true;
    });
  });

  test('submits SQL and watches it to the terminal event', async () => {
    const { id } = await submit('3');
    const events = [];
    for await (const event of client.watch(id, { project })) events.push(event);
    assert.equal(events[0].event_type, 'WATCH_EVENT_TYPE_SNAPSHOT');
    const last = events.at(-1);
    assert.equal(last.event_type, 'WATCH_EVENT_TYPE_TERMINAL');
    assert.equal(last.instance.status, 'STATUS_TERMINATED');
    assert.equal(last.instance.successful, true);
    assert.ok(
      events.some((e) => e.event_type === 'WATCH_EVENT_TYPE_PROGRESS'),
      `a PROGRESS event among ${events.map((e) => e.event_type).join(', ')}`,
    );
    for (let i = 1; i < events.length; i++) {
      assert.ok(BigInt(events[i].sequence) >= BigInt(events[i - 1].sequence), 'sequence never goes back');
    }
  });

  test('watchUntilDone resolves with the final instance; a missing one rejects', async () => {
    const { id } = await submit('1');
    let count = 0;
    const done = await client.watchUntilDone(id, { project, onEvent: () => count++ });
    assert.equal(done.status, 'STATUS_TERMINATED');
    assert.ok(count >= 2);
    await assert.rejects(
      client.watchUntilDone('20000101000000000nosuchnd2', { project }),
      (err) => err.code === status.NOT_FOUND && err.reason === 'NoSuchObject',
    );
  });

  test('leaving the loop early cancels the stream', async () => {
    const { id } = await submit('30');
    for await (const event of client.watch(id, { project })) {
      assert.equal(event.event_type, 'WATCH_EVENT_TYPE_SNAPSHOT');
      break;
    }
    await client.stopInstance(id, { project });
  });

  test('a call deadline reaches the gateway', async () => {
    const { id } = await submit('60');
    try {
      const start = Date.now();
      // The gateway waits min(request timeout, call deadline): it answers with the running
      // instance just before the deadline, or the deadline passes first on a slow machine.
      try {
        const { instance } = await client.unary(
          'WaitInstance',
          { project, instance_id: id, timeout: { seconds: 20, nanos: 0 } },
          { timeoutMs: 500 },
        );
        assert.equal(instance.status, 'STATUS_RUNNING');
      } catch (err) {
        assert.equal(err.code, status.DEADLINE_EXCEEDED, String(err));
      }
      assert.ok(Date.now() - start < 5000, `deadline not honoured: ${Date.now() - start} ms`);
    } finally {
      await client.stopInstance(id, { project });
    }
  });
});
