/** `npm run web`: build the pages if their inputs changed (scripts/web-build.ts), then start the browser host. */
import { ensureWebBuild } from './web-build';
import { runWebHost } from '../src/main/web-host-cli';

const rootArg = process.argv.indexOf('--root');
// A --root of the caller's own is theirs to build.
if (rootArg < 0) ensureWebBuild();
await runWebHost(process.argv.slice(2));
