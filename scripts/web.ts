/** `npm run web`: the browser host, with the pages built if their inputs changed (scripts/web-build.ts). */
import { ensureWebBuild } from './web-build';
import { runWebHost } from '../src/main/web-host-cli';

const rootArg = process.argv.indexOf('--root');
// A --root of the caller's own is theirs to build; ours is checked (and built if stale) while the pump boots.
await runWebHost(process.argv.slice(2), { whileThePumpStarts: rootArg < 0 ? ensureWebBuild : undefined });
