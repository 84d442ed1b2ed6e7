import { parseArgs } from 'node:util';
import { permissionSchema, roleSchema } from '../../domain/auth/permissions';
import { orgIdSchema } from '../../domain/auth/principal';
import { loadConfig } from '../config';
import { mintDevToken } from './mint-token';

/** `npm run token -- --org acme --role dpo [--sub alice] [--permission breach-forms:view] [--ttl 3600]` */
async function main() {
  const { values } = parseArgs({
    options: {
      org: { type: 'string', default: 'default' },
      role: { type: 'string', multiple: true },
      permission: { type: 'string', multiple: true },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '43200' },
    },
  });
  const org = orgIdSchema.parse(values.org);
  const roles = (values.role ?? (values.permission ? [] : ['admin'])).map((r) => roleSchema.parse(r));
  const permissions = values.permission?.map((p) => permissionSchema.parse(p));
  const token = await mintDevToken(loadConfig().AUTH_JWT_SECRET, {
    org,
    sub: values.sub,
    roles,
    permissions,
    ttlSeconds: Number(values.ttl),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error) => {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
