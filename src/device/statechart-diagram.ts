/**
 * The pump statechart as a Mermaid `stateDiagram-v2`, generated from the machine's definition (regions,
 * states, events, guards), so that the diagram in docs/pump-statechart.md cannot drift from the code.
 * Pure: `npm run statechart` writes the file, and a test compares the committed file with this output.
 */
import type { AnyStateNode } from 'xstate';
import { pumpMachine } from './machine';

interface Guardish {
  type?: string;
  params?: Record<string, unknown>;
}

/** A guard as the diagram shows it: its name, with its parameters' values. */
function guardText(guard: unknown): string {
  if (guard === undefined) return '';
  if (typeof guard === 'string') return ` [${guard}]`;
  const g = guard as Guardish;
  const params = g.params ? Object.values(g.params).map(String).join(', ') : '';
  return ` [${g.type ?? 'guard'}${params ? `(${params})` : ''}]`;
}

function actionsText(actions: unknown): string {
  const names = (Array.isArray(actions) ? actions : [])
    .map((a: unknown) => (typeof a === 'string' ? a : ((a as { type?: string }).type ?? '')))
    .filter((n) => n !== '');
  return names.length > 0 ? ` / ${names.join(', ')}` : '';
}

const id = (node: AnyStateNode): string => node.path.join('_');

interface Edge {
  source: AnyStateNode;
  target: AnyStateNode | undefined;
  label: string;
}

/** Transitions of `node` (own, then each ancestor's up to its region, not overridden below). */
function edgesOf(node: AnyStateNode, region: AnyStateNode): Edge[] {
  const edges: Edge[] = [];
  const seen = new Set<string>();
  // A choice state (eventless transitions only) is left at once: no event ever reaches it.
  const transient = (node.always ?? []).length > 0;
  for (
    let n: AnyStateNode | undefined = transient ? undefined : node;
    n;
    n = n === region ? undefined : n.parent
  ) {
    for (const [event, defs] of n.transitions) {
      if (event === '' || event.startsWith('xstate.') || seen.has(event)) continue;
      seen.add(event);
      for (const d of defs) {
        const target = d.target?.[0];
        edges.push({
          source: node,
          target: target ? atomicTarget(target) : undefined,
          label: `${event}${guardText(d.guard)}${actionsText(d.actions)}`,
        });
      }
    }
  }
  for (const d of node.always ?? []) {
    const target = d.target?.[0];
    edges.push({
      source: node,
      target: target ? atomicTarget(target) : undefined,
      label: `always${guardText(d.guard)}${actionsText(d.actions)}`,
    });
  }
  return edges;
}

/** A compound target is entered at its initial state. */
function atomicTarget(node: AnyStateNode): AnyStateNode {
  let n = node;
  while (Object.keys(n.states).length > 0 && n.type !== 'parallel') {
    const initial = n.initial?.target?.[0] as AnyStateNode | undefined;
    if (!initial) break;
    n = initial;
  }
  return n;
}

function leaves(node: AnyStateNode): AnyStateNode[] {
  const kids = Object.values(node.states) as AnyStateNode[];
  return kids.length === 0 ? [node] : kids.flatMap(leaves);
}

function renderState(node: AnyStateNode, indent: string, out: string[]): void {
  const kids = Object.values(node.states) as AnyStateNode[];
  if (kids.length === 0) {
    out.push(`${indent}state "${node.key}" as ${id(node)}`);
    return;
  }
  out.push(`${indent}state "${node.key}" as ${id(node)} {`);
  const initial = node.initial?.target?.[0] as AnyStateNode | undefined;
  if (initial) out.push(`${indent}  [*] --> ${id(initial)}`);
  for (const k of kids) renderState(k, `${indent}  `, out);
  out.push(`${indent}}`);
}

/** The diagram (Mermaid source) and the list of the transitions the whole pump handles. */
export function pumpStatechartMarkdown(): string {
  const root = pumpMachine.root;
  const regions = Object.values(root.states) as AnyStateNode[];
  // Mermaid draws concurrent regions inside one composite state, separated by `--`.
  const lines: string[] = ['stateDiagram-v2', '  state "pump" as pump {'];
  regions.forEach((region, i) => {
    if (i > 0) lines.push('    --');
    renderState(region, '    ', lines);
    for (const leaf of leaves(region)) {
      for (const e of edgesOf(leaf, region)) {
        lines.push(`    ${id(e.source)} --> ${id(e.target ?? e.source)} : ${e.label}`);
      }
    }
  });
  lines.push('  }');
  const rootEvents: string[] = [];
  for (const [event, defs] of root.transitions) {
    for (const d of defs) rootEvents.push(`- \`${event}${guardText(d.guard)}${actionsText(d.actions)}\``);
  }
  return [
    '# The pump statechart',
    '',
    'Generated from `src/device/machine.ts` by `npm run statechart`; a test fails when this file differs',
    'from the definition. Each region runs in parallel and owns its transitions. A label reads',
    '`EVENT [guard(params)] / actions`; a transition without a target is drawn as a loop on its state;',
    '`always` is the choice made on entering `resuming`. Upper-case events with a dot that no clinician',
    'sends (`RESERVOIR.EMPTY`, `BATTERY.ERI`, `BOLUS.END`, `ALARM.UPDATE`, ...) are raised by the pump',
    'itself when time crosses a threshold or a command settles.',
    '',
    '```mermaid',
    ...lines,
    '```',
    '',
    'Handled by the whole pump (no region changes state):',
    '',
    ...rootEvents,
    '',
  ].join('\n');
}
