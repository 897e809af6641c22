#!/usr/bin/env node
// Lists the newest instances of a project, then (given an id, or --sql QUERY) watches one to the end.
//
//   MCGW_TARGET=127.0.0.1:50051 MCGW_INSECURE=1 node examples/watch.js --sql 'select 1'
//   MCGW_TARGET=gw.example.com:443 MCGW_TOKEN=... node examples/watch.js 20160519101349613gzbzufck2
//   MCGW_CA_FILE=ca.pem trusts that CA instead of the system's.
import { readFileSync } from 'node:fs';

// By the package's name, as an application that installed it would (Node resolves a package's
// own name through its `exports`).
import { GatewayError, connect } from '@mcgateway/client';

const client = connect(process.env.MCGW_TARGET ?? '127.0.0.1:50051', {
  token: process.env.MCGW_TOKEN,
  insecure: process.env.MCGW_INSECURE === '1',
  rootCerts: process.env.MCGW_CA_FILE ? readFileSync(process.env.MCGW_CA_FILE) : undefined,
});
const project = process.env.MCGW_PROJECT ?? '';
const args = process.argv.slice(2);

try {
  let shown = 0;
  for await (const inst of client.listInstances({ project, page_size: 10 })) {
    console.log(`${inst.instance_id}  ${String(inst.state).padEnd(10)}  ${inst.owner}`);
    if (++shown === 10) break;
  }
  let id = args[0];
  if (args[0] === '--sql') {
    id = (await client.submitSql(args[1], { project })).instance_id;
    console.log(`submitted ${id}`);
  }
  if (id) {
    for await (const event of client.watch(id, { project })) {
      const stages = event.progress.flatMap((p) => p.stages.map((s) => `${s.id} ${s.finished_percentage}%`));
      console.log(`#${event.sequence} ${event.event_type} ${event.instance.state}`
        + (stages.length ? `  [${stages.join(', ')}]` : ''));
      if (event.event_type === 'TERMINAL') {
        const inst = event.instance;
        console.log(`${inst.instance_id} ${inst.successful ? 'succeeded' : `failed: ${inst.failure_message}`}`);
      }
    }
  }
} catch (err) {
  if (!(err instanceof GatewayError)) throw err;
  console.error(`error: ${err.message}`);
  process.exitCode = 1;
} finally {
  client.close();
}
