import type { Request } from 'express';
import { BadRequestException } from '@nestjs/common';
import { INVALID_REQUEST } from '@lifecycle/http';

/** 1-200 printable ASCII characters, no spaces (the OpenAPI document declares the same pattern). */
export const HEADER_VALUE = /^[\x21-\x7E]{1,200}$/;

/** The request id pino-http gave the request (the caller's `x-request-id` or a new UUID). */
export function requestIdOf(req: Request): string | null {
  const id = (req as Request & { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/** Who made the change, as the gateway forwards it (`x-actor`); null when not given. */
export function actorOf(req: Request): string | null {
  return optionalHeader(req, 'x-actor');
}

/** A printable header value of at most 200 characters, or 400 naming the header. */
export function optionalHeader(req: Request, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
    throw new BadRequestException({
      message: `Header ${name} must be 1-200 printable ASCII characters`,
      details: { code: INVALID_REQUEST, fields: [{ field: name, errors: ['invalid value'] }] },
    });
  }
  return value;
}
