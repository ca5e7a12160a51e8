/** `npm run statechart`: writes docs/pump-statechart.md from the machine definition. */
import { writeFileSync } from 'node:fs';
import { pumpStatechartMarkdown } from '../src/device/statechart-diagram';

writeFileSync(new URL('../docs/pump-statechart.md', import.meta.url), pumpStatechartMarkdown());
console.log('wrote docs/pump-statechart.md');
