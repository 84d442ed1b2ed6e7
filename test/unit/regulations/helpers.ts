export { defaultCatalog, getRegulation, listRegulations, loadCatalog, rulesInForce } from '../../../domain/regulations';
export { RAW_CATALOG as RAW_CATALOG_FOR_TEST } from '../../../domain/regulations/catalog-data';
