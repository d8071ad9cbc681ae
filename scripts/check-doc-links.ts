/**
 * Every Markdown link of the repository must stay inside it and land somewhere: a relative link
 * resolves to a file of the repository (never above its root), and a `#fragment` names a heading
 * of the target (GitHub's anchor rules). Web links may only point at the local system
 * (`http://127.0.0.1…`). Part of `npm test` (`npm run check:links`).
 *   node -r ts-node/register/transpile-only scripts/check-doc-links.ts
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..');
const SKIP_DIRS = new Set(['node_modules', 'dist', '.local', '.git', 'coverage', '.husky']);
const LOCAL_WEB = /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIP_DIRS.has(name) ? [] : markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** The text outside fenced code blocks and inline code spans, where links are links. */
function proseOf(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const match of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = match[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function problemsOf(file: string): string[] {
  const markdown = readFileSync(file, 'utf8');
  const problems: string[] = [];
  for (const match of proseOf(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      if (!LOCAL_WEB.test(target)) problems.push(`${target}: a link out of the repository`);
      continue;
    }
    const [pathPart, fragment] = target.split('#', 2) as [string, string | undefined];
    const path = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
    const fromRoot = relative(ROOT, path);
    if (fromRoot.startsWith(`..${sep}`) || fromRoot === '..') {
      problems.push(`${target}: leaves the repository`);
      continue;
    }
    if (!existsSync(path)) {
      problems.push(`${target}: no such file`);
      continue;
    }
    if (fragment !== undefined && path.endsWith('.md') && !anchorsOf(readFileSync(path, 'utf8')).has(fragment)) {
      problems.push(`${target}: no heading with the anchor #${fragment} in ${relative(ROOT, path)}`);
    }
  }
  return problems.map((p) => `${relative(ROOT, file)}: ${p}`);
}

function main(): void {
  const files = markdownFiles(ROOT);
  const problems = files.flatMap(problemsOf);
  if (problems.length > 0) {
    process.stderr.write(`[check:links] ${problems.length} broken link(s):\n${problems.map((p) => `  ${p}\n`).join('')}`);
    process.exit(1);
  }
  process.stdout.write(`[check:links] every link of ${files.length} Markdown files stays in the repository and resolves\n`);
}

if (require.main === module) main();
