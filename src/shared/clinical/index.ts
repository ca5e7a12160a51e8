/**
 * The programmer's clinical rules: pure TypeScript, no Node imports, shared by the React renderer and
 * the programmer service. Constants and their sources: docs/clinical-model.md.
 */
export * from './constants';
export * from './arithmetic';
export * from './findings';
export * from './format';
export * from './titration';
export * from './refill';
export * from './screening';
export * from './history';
export * from './rules';
export * from './sources';
export * from './education';
export * from './alarm-text';
export * from './log-text';
