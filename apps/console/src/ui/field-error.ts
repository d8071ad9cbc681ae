import { ApiError } from '../api/api-error';

/** The server's messages about one field of a form, for the input's `error` slot (undefined: none). */
export function fieldError(error: unknown, ...paths: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const messages = paths.flatMap((path) => error.about(path));
  return messages.length > 0 ? [...new Set(messages)].join('; ') : undefined;
}

/** True when every message of the error belongs to one of these fields (then no separate alert is needed). */
export function onlyAbout(error: unknown, paths: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const fields = Object.keys(error.fields);
  return fields.length > 0 && fields.every((f) => paths.some((p) => f === p || f.startsWith(`${p}.`) || f.startsWith(`${p}[`)));
}
