/**
 * Writes the API contract from the code: docs/openapi.json (the platform document, what the
 * gateway serves at /docs-json) and libs/contracts/src/api/openapi.ts (its TypeScript types from
 * openapi-typescript, the typed client's input). `npm run contract` runs it; a test regenerates
 * both (`--check`) and fails when the checked-in files differ, so a change to a route, a DTO or a response
 * that is not regenerated breaks the build.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlatformOpenApi } from './platform-openapi';

export const ROOT = join(__dirname, '..', '..');
export const CONTRACT_FILES = {
  openapi: join(ROOT, 'docs', 'openapi.json'),
  types: join(ROOT, 'libs', 'contracts', 'src', 'api', 'openapi.ts'),
} as const;

const TYPES_HEADER = `/**
 * The platform's OpenAPI document as TypeScript types, generated from docs/openapi.json by
 * openapi-typescript (\`npm run contract\`; a property with a default stays optional). Do not edit: change the controllers and DTOs and regenerate.
 */
`;

/** Prettier's CLI (its API loads ES modules, which jest's CommonJS runtime does not). */
function formatted(text: string, filepath: string): string {
  return execFileSync(join(ROOT, 'node_modules', '.bin', 'prettier'), ['--stdin-filepath', filepath], { input: text, encoding: 'utf8' });
}

export async function generateContract(): Promise<Record<keyof typeof CONTRACT_FILES, string>> {
  const { doc, conflicts } = await buildPlatformOpenApi();
  if (conflicts.length > 0) throw new Error(`the services' documents disagree:\n${conflicts.join('\n')}`);
  // openapi-typescript ships CommonJS beside its ES module; the project compiles to CommonJS.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: openapiTS, astToString } = require('openapi-typescript') as typeof import('openapi-typescript');
  const openapi = formatted(`${JSON.stringify(doc, null, 2)}\n`, CONTRACT_FILES.openapi);
  const types = formatted(
    TYPES_HEADER + astToString(await openapiTS(JSON.parse(openapi) as never, { defaultNonNullable: false })),
    CONTRACT_FILES.types,
  );
  return { openapi, types };
}

export function readContract(): Record<keyof typeof CONTRACT_FILES, string> {
  return { openapi: readFileSync(CONTRACT_FILES.openapi, 'utf8'), types: readFileSync(CONTRACT_FILES.types, 'utf8') };
}

/** `--check`: write nothing, fail when a checked-in file is not what the code generates now. */
if (require.main === module) {
  const check = process.argv.includes('--check');
  generateContract()
    .then((files) => {
      const keys = Object.keys(CONTRACT_FILES) as (keyof typeof CONTRACT_FILES)[];
      if (check) {
        const current = readContract();
        const stale = keys.filter((key) => current[key] !== files[key]).map((key) => CONTRACT_FILES[key]);
        if (stale.length > 0) throw new Error(`out of date (run npm run contract): ${stale.join(', ')}`);
        process.stdout.write('the checked-in contract is what the code generates\n');
        return;
      }
      for (const key of keys) writeFileSync(CONTRACT_FILES[key], files[key]);
      process.stdout.write(`wrote ${Object.values(CONTRACT_FILES).join(', ')}\n`);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    });
}
