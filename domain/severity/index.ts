export * from './schema';
export * from './categories';
export * from './defaults';
export * from './rules';
