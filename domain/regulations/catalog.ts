import { InvalidError, NotFoundError } from '../shared/errors';
import { jurisdictionCovers } from '../jurisdictions/codes';
import { Catalog, type Regime, type RegulationSummary } from './schema';
import { rulesInForce } from './rules';
import { RAW_CATALOG } from './catalog-data';

/**
 * Validates catalog data and its cross-references. Throws InvalidError listing every problem,
 * so a bad data change fails loudly in the unit test instead of silently skipping a regulator.
 */
export function loadCatalog(raw: unknown = RAW_CATALOG): Catalog {
  const parsed = Catalog.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidError(
      'Regulations catalog is invalid',
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  const catalog = parsed.data;
  const issues: Array<{ path: string; message: string }> = [];
  const regimeIds = new Set<string>();
  const calendarIds = new Set(catalog.calendars.map((c) => c.id));
  catalog.regimes.forEach((regime, ri) => {
    if (regimeIds.has(regime.id)) issues.push({ path: `regimes.${ri}.id`, message: `duplicate regime id ${regime.id}` });
    regimeIds.add(regime.id);
    if (regime.calendarId && !calendarIds.has(regime.calendarId)) {
      issues.push({ path: `regimes.${ri}.calendarId`, message: `unknown calendar ${regime.calendarId}` });
    }
    if (!isTimeZone(regime.timeZone)) issues.push({ path: `regimes.${ri}.timeZone`, message: 'unknown IANA time zone' });
    const ruleKeys = new Set<string>();
    regime.rules.forEach((rule, i) => {
      // Same id may appear twice only as successive versions with different effective dates.
      const key = `${rule.id}@${rule.effectiveFrom}`;
      if (ruleKeys.has(key)) issues.push({ path: `regimes.${ri}.rules.${i}.id`, message: `duplicate rule ${key}` });
      ruleKeys.add(key);
      if (rule.effectiveTo && rule.effectiveTo <= rule.effectiveFrom) {
        issues.push({ path: `regimes.${ri}.rules.${i}.effectiveTo`, message: 'effectiveTo must be after effectiveFrom' });
      }
      const usesBusinessDays = [rule.deadline, ...rule.stages.map((s) => s.deadline)].some(
        (d) =>
          d.within?.unit === 'business-days' ||
          d.recommendedWithin?.unit === 'business-days' ||
          (d.earliestOf ?? []).some((l) => l.within?.unit === 'business-days'),
      );
      const afterRule = rule.deadline.afterRule;
      if (afterRule && (afterRule === rule.id || !regime.rules.some((r) => r.id === afterRule))) {
        issues.push({ path: `regimes.${ri}.rules.${i}.deadline.afterRule`, message: `unknown earlier stage ${afterRule}` });
      }
      if (usesBusinessDays && !regime.calendarId) {
        issues.push({ path: `regimes.${ri}.rules.${i}`, message: 'business-day deadline needs a regime calendarId' });
      }
    });
  });
  if (issues.length > 0) throw new InvalidError('Regulations catalog is invalid', issues);
  return catalog;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

let cached: Catalog | undefined;

/** The catalog shipped in the repository, validated once. */
export function defaultCatalog(): Catalog {
  cached ??= loadCatalog();
  return cached;
}

export interface RegulationFilter {
  jurisdiction?: string;
  /** Only rules in force at this instant are kept; regimes with none are dropped. */
  at?: Date;
}

export function listRegulations(catalog: Catalog, filter: RegulationFilter = {}): Regime[] {
  return catalog.regimes
    .filter((r) => !filter.jurisdiction || r.jurisdictions.some((j) => jurisdictionCovers(j, filter.jurisdiction!)))
    .map((r) => (filter.at ? { ...r, rules: rulesInForce(r, filter.at) } : r))
    .filter((r) => r.rules.length > 0);
}

/** The list view for `GET /v1/regulations`: enough to choose a regime, without every rule's detail. */
export function summariseRegulations(catalog: Catalog, filter: RegulationFilter = {}): RegulationSummary[] {
  return listRegulations(catalog, filter).map((r) => ({
    id: r.id,
    name: r.name,
    shortName: r.shortName,
    jurisdictions: r.jurisdictions,
    recipients: [...new Set(r.rules.map((rule) => rule.recipient))],
    ruleCount: r.rules.length,
    verified: r.verified && r.rules.every((rule) => rule.verified),
    sourceUrl: r.sourceUrl,
  }));
}

export function getRegulation(catalog: Catalog, id: string): Regime {
  const found = catalog.regimes.find((r) => r.id === id);
  if (!found) throw new NotFoundError(`No regulation with id '${id}'`);
  return found;
}
