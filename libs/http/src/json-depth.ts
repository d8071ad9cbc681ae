import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

export const MAX_JSON_DEPTH = 64;

/** Nesting depth of a parsed JSON value, measured without recursion (no stack to overflow). */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * Refuses request bodies nested deeper than `MAX_JSON_DEPTH` with a 400 before validation, whose
 * recursive walk would otherwise overflow the stack (a 500) on hostile input.
 */
export function rejectDeepJson(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (body !== null && typeof body === 'object' && jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    next(new BadRequestException(`Request body is nested more than ${MAX_JSON_DEPTH} levels deep`));
    return;
  }
  next();
}
