import { Jwt } from 'hono/utils/jwt';
import type { Permission, Role } from '../../domain/auth/permissions';

export interface TokenRequest {
  org: string;
  sub?: string;
  roles?: Role[];
  permissions?: Permission[];
  ttlSeconds?: number;
  nowSeconds?: number;
}

/** HS256 tokens for local use and tests; in the cloud an OIDC provider issues tokens checked via JWKS. */
export function mintDevToken(secret: string, request: TokenRequest): Promise<string> {
  const now = request.nowSeconds ?? Math.floor(Date.now() / 1000);
  return Jwt.sign(
    {
      sub: request.sub ?? `dev-${request.org}`,
      org: request.org,
      ...(request.roles ? { roles: request.roles } : {}),
      ...(request.permissions ? { permissions: request.permissions } : {}),
      iat: now,
      exp: now + (request.ttlSeconds ?? 12 * 3600),
    },
    secret,
    'HS256',
  );
}
