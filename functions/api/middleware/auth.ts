import type { MiddlewareHandler } from 'hono';
import { Jwt } from 'hono/utils/jwt';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';
import { resolvePermissions, type Permission } from '../../../domain/auth/permissions';
import { orgIdSchema, type Principal } from '../../../domain/auth/principal';
import { problemResponse } from '../problem';
import type { AppEnv } from '../app-env';

export interface AuthSettings {
  jwtSecret: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

const JWKS_CACHE_MS = 10 * 60 * 1000;

/** Keys are fetched once per cache period, not per request; a key-rotation miss refetches once. */
function jwksKeyCache(url: string) {
  let cached: { keys: HonoJsonWebKey[]; at: number } | undefined;
  return async (forceRefresh = false): Promise<HonoJsonWebKey[]> => {
    if (!cached || forceRefresh || Date.now() - cached.at > JWKS_CACHE_MS) {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`);
      const body = (await response.json()) as { keys?: HonoJsonWebKey[] };
      cached = { keys: body.keys ?? [], at: Date.now() };
    }
    return cached.keys;
  };
}

export function createTokenVerifier(settings: AuthSettings) {
  const verification = { iss: settings.issuer, aud: settings.audience };
  if (settings.jwksUrl) {
    const keys = jwksKeyCache(settings.jwksUrl);
    return async (token: string) => {
      const verifyWith = async (refresh: boolean) =>
        Jwt.verifyWithJwks(token, { keys: await keys(refresh), allowedAlgorithms: ['RS256', 'ES256'], verification });
      try {
        return await verifyWith(false);
      } catch {
        return verifyWith(true);
      }
    };
  }
  // The HMAC key is imported once, not for every request (the import costs as much as the signature check).
  let key: Promise<CryptoKey> | undefined;
  return async (token: string) => {
    key ??= crypto.subtle.importKey('raw', new TextEncoder().encode(settings.jwtSecret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    return Jwt.verify(token, await key, { alg: 'HS256', ...verification });
  };
}

const unauthorized = (detail: string): Parameters<typeof problemResponse>[1] => ({
  type: 'unauthorized',
  title: 'Unauthorized',
  status: 401,
  detail,
});

/** Verifies the bearer token and puts the caller's organisation and permissions on the context. */
export function authenticate(verify: (token: string) => Promise<Record<string, unknown>>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer');
      return problemResponse(c, unauthorized('An Authorization: Bearer <token> header is required'));
    }
    let claims: Record<string, unknown>;
    try {
      claims = await verify(match[1]!);
    } catch (error) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      const reason =
        error instanceof Error && /expired/i.test(error.name + error.message) ? 'The token has expired' : 'The token is invalid';
      return problemResponse(c, unauthorized(reason));
    }
    const org = orgIdSchema.safeParse(claims.org);
    if (!org.success || typeof claims.sub !== 'string' || claims.sub === '') {
      return problemResponse(c, unauthorized('The token must carry an `org` (organisation id) and a `sub` claim'));
    }
    const principal: Principal = {
      orgId: org.data,
      subject: claims.sub,
      permissions: new Set(resolvePermissions(claims)),
      roles: stringsOf(claims.roles),
      teams: stringsOf(claims.teams),
    };
    c.set('principal', principal);
    c.set('log', c.var.log.child({ org: principal.orgId, sub: principal.subject }));
    await next();
  };
}

export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.var.principal.permissions.has(permission)) {
      return problemResponse(c, {
        type: 'forbidden',
        title: 'Forbidden',
        status: 403,
        detail: `This action requires the permission ${permission}`,
        requiredPermission: permission,
      });
    }
    await next();
  };
}

const stringsOf = (value: unknown) =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200).slice(0, 50) : [];
