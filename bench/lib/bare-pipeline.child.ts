/** The bare status pipeline in a process of its own (see `rawPipeline` in raw-limits.ts). */
import { runBarePipeline } from './raw-limits';

const [input, output] = process.argv.slice(2);
runBarePipeline(input!, output!).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
