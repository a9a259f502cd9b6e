import { timingSafeEqual } from 'node:crypto';
import type { Next, Request, RequestHandler, Response } from 'restify';

export type Role = 'admin' | 'agent';

export interface Principal {
  role: Role;
  /** The agent's configured name, or "admin". */
  name: string;
}

export interface Credentials {
  adminToken?: string;
  agents: { name: string; token: string }[];
}

const principals = new WeakMap<Request, Principal>();

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Resolves a bearer token to the admin or a configured agent; undefined when it matches neither. */
export function identify(credentials: Credentials, authorization: string | undefined): Principal | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const token = match[1];
  if (credentials.adminToken && sameSecret(token, credentials.adminToken)) return { role: 'admin', name: 'admin' };
  const agent = credentials.agents.find((a) => sameSecret(token, a.token));
  return agent ? { role: 'agent', name: agent.name } : undefined;
}

/**
 * Route guard: 401 without a valid token, 403 when the token's role is not allowed here.
 * The principal is then available to the handler through principalOf(req).
 */
export function requireRole(credentials: Credentials, allowed: Role[]): RequestHandler {
  return (req: Request, res: Response, next: Next) => {
    const principal = identify(credentials, req.header('authorization'));
    if (!principal) {
      res.setHeader('www-authenticate', 'Bearer');
      res.json(401, { error: 'unauthorized', message: 'A valid bearer token is required.' });
      return next(false);
    }
    if (!allowed.includes(principal.role)) {
      res.json(403, { error: 'forbidden', message: `This endpoint is for: ${allowed.join(', ')}.` });
      return next(false);
    }
    principals.set(req, principal);
    return next();
  };
}

export function principalOf(req: Request): Principal | undefined {
  return principals.get(req);
}
