import type { Request, Response } from 'restify';
import { z } from 'zod';

/** A request the route can name the fault of: answered 400 with the message. */
export class BadRequest extends Error {}

export function fail(res: Response, status: number, error: string, message: string): void {
  res.json(status, { error, message });
}

/** Restify's bodyParser usually parses first; without it (or with another content type) the raw text arrives. */
export function bodyOf(req: Request): unknown {
  const raw: unknown = req.body;
  if (typeof raw !== 'string' && !Buffer.isBuffer(raw)) return raw ?? {};
  const text = raw.toString();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequest('The request body is not valid JSON.');
  }
}

export function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequest(`Invalid ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

