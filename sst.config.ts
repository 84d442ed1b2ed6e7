/// <reference path="./.sst/platform/config.d.ts" />
// Deploys Breach Response to AWS. The table comes from infra/dynamo/table-definition.ts, the same
// object the local stack creates, so the two cannot drift. (The deploy issue widens this file.)
import { tableDefinition } from './infra/dynamo/table-definition';

export default $config({
  app(input) {
    return {
      name: 'breach-response',
      home: 'aws',
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      protect: input?.stage === 'production',
    };
  },
  async run() {
    const fields = Object.fromEntries(
      [tableDefinition.partitionKey, tableDefinition.sortKey, ...tableDefinition.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])].map(
        (name) => [name, 'string' as const],
      ),
    );
    const table = new sst.aws.Dynamo('Table', {
      fields,
      primaryIndex: { hashKey: tableDefinition.partitionKey, rangeKey: tableDefinition.sortKey },
      globalIndexes: Object.fromEntries(
        tableDefinition.globalIndexes.map((i) => [i.name, { hashKey: i.partitionKey, rangeKey: i.sortKey }]),
      ),
      ttl: tableDefinition.ttlAttribute,
    });
    const api = new sst.aws.Function('Api', {
      handler: 'functions/lambda.handler',
      runtime: 'nodejs22.x',
      url: true,
      link: [table],
      environment: { STAGE: $app.stage, TABLE_NAME: table.name },
    });
    return { api: api.url };
  },
});
