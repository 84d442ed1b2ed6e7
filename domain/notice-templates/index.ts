export * from './schema';
export * from './builtin-templates';
export * from './rules';
