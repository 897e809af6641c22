// Compiled (never run) by test/types.test.js: the published type definitions must describe the
// client as a TypeScript user would use it.
import { GatewayError, connect, errorReason, status, type Instance, type WatchEvent } from '../src/index.js';

export async function example(target: string): Promise<Instance> {
  const client = connect(target, { insecure: true, token: 't', timeoutMs: 5000 });
  const inst: Instance = await client.submitSql('select 1', { hints: { a: 'b' }, priority: 1 });
  for await (const listed of client.listInstances({ page_size: 10, status: 'STATUS_RUNNING' })) {
    const id: string = listed.id;
    void id;
  }
  for await (const event of client.watch(inst.id, { omitProgress: true })) {
    const e: WatchEvent = event;
    const sequence: string = e.sequence;
    const stages: number = e.progress.flatMap((p) => p.stages).length;
    void sequence;
    void stages;
  }
  try {
    return await client.getInstance(inst.id, { project: 'demo' });
  } catch (err) {
    if (err instanceof GatewayError && err.code === status.NOT_FOUND) {
      const reason: string = err.reason;
      void reason;
    }
    void errorReason(err);
    throw err;
  } finally {
    client.close();
  }
}
