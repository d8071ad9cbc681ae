// `npm install` runs this (the `prepare` script): it points git at .husky/ so the pre-commit hook
// formats and lints staged files. Without a git checkout (CI artifacts, the Docker build) or
// without dev dependencies (`npm ci --omit=dev`) there is nothing to install, and that is fine.
const { existsSync } = require('node:fs');
const { pathToFileURL } = require('node:url');

if (process.env.HUSKY === '0') process.exit(0);
if (!existsSync('.git')) {
  console.log('[prepare] no .git here: git hooks not installed');
  process.exit(0);
}
let huskyPath;
try {
  huskyPath = require.resolve('husky');
} catch {
  console.log('[prepare] husky is not installed (production install): git hooks not installed');
  process.exit(0);
}
import(pathToFileURL(huskyPath).href).then(
  ({ default: husky }) => {
    const problem = husky();
    if (problem) console.log(`[prepare] husky: ${problem}`);
  },
  (error) => {
    console.error(`[prepare] git hooks not installed: ${error instanceof Error ? error.message : String(error)}`);
  },
);
