export * from './schema';
export * from './catalog';
export * from './rules';
export { CATALOG_VERSION } from './catalog-data';
