export * from './schema';
export * from './risk';
export * from './deadlines';
export * from './lead-authority';
export * from './rules';
