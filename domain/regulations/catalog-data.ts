import africaMiddleEastOther from './data/africa-middle-east-other.json';
import americas from './data/americas.json';
import asiaPacific from './data/asia-pacific.json';
import calendars from './data/calendars.json';
import cyberIncident from './data/cyber-incident.json';
import europe from './data/europe.json';
import usFederal from './data/us-federal.json';
import usStates from './data/us-states.json';

/** Bump when any data file changes so assessments record which catalog they used. */
export const CATALOG_VERSION = '2026.12.02-2';

/** Raw, unvalidated catalog: `loadCatalog` validates it. Adding a regime is an entry in one of these files. */
export const RAW_CATALOG: unknown = {
  version: CATALOG_VERSION,
  regimes: [
    ...europe.regimes,
    ...usFederal.regimes,
    ...usStates.regimes,
    ...americas.regimes,
    ...asiaPacific.regimes,
    ...africaMiddleEastOther.regimes,
    ...cyberIncident.regimes,
  ],
  calendars: calendars.calendars,
};
