import type { FormField } from '../../domain/intake-forms/schema';
import { createResponseMetrics } from '../../domain/metrics/rules';
import { regulatorPackFiles } from '../../domain/register/pack';
import { registerEntry, type RegisterEntry } from '../../domain/register/rules';
import type { AppDeps } from '../api/app-deps';

export interface ReportRange {
  from?: string;
  to?: string;
}

/** Read-side reports over the register: each walks the incidents of a range one at a time, never all in memory. */
export function createReportingService(deps: Pick<AppDeps, 'repos' | 'clock'>) {
  const { incidents, forms } = deps.repos;

  /** Form versions are immutable: one read per version, however many incidents use it. */
  function versionFields(org: string) {
    const cache = new Map<string, Promise<FormField[]>>();
    return (formId: string, version: number) => {
      const key = `${formId}#${version}`;
      if (!cache.has(key)) cache.set(key, forms.getFieldsOfVersion(org, formId, version).then((v) => v.fields, () => []));
      return cache.get(key)!;
    };
  }

  async function* register(org: string, range: ReportRange): AsyncGenerator<RegisterEntry> {
    const fieldsOf = versionFields(org);
    for await (const summary of incidents.summariesCreatedBetween(org, range)) {
      const aggregate = await incidents.getAggregate(org, summary.id);
      yield registerEntry(aggregate, await fieldsOf(summary.formId, summary.formVersion));
    }
  }

  async function responseMetrics(org: string, range: ReportRange) {
    const metrics = createResponseMetrics(deps.clock.now());
    for await (const summary of incidents.summariesCreatedBetween(org, range)) {
      const [aggregate, audit] = await Promise.all([incidents.getAggregate(org, summary.id), incidents.listAudit(org, summary.id)]);
      metrics.add(aggregate, audit);
    }
    return metrics.result();
  }

  /** The regulator pack's files: the audit trail is cut at the head the summary names, so the two always agree. */
  async function pack(org: string, incidentId: string) {
    const aggregate = await incidents.getAggregate(org, incidentId);
    const audit = (await incidents.listAudit(org, incidentId)).filter((e) => e.seq <= aggregate.incident.audit.seq);
    const fields = await versionFields(org)(aggregate.incident.formId, aggregate.incident.formVersion);
    return regulatorPackFiles(aggregate, audit, fields, deps.clock.now());
  }

  return { register, responseMetrics, pack };
}
