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

  /** The fields incidents were answered on (published versions are cached by the repository); none if it is gone. */
  const fieldsOf = (org: string, formId: string, version: number): Promise<FormField[]> =>
    forms.getFieldsOfVersion(org, formId, version).then(
      (v) => v.fields,
      () => [],
    );

  async function* register(org: string, range: ReportRange): AsyncGenerator<RegisterEntry> {
    for await (const summary of incidents.summariesCreatedBetween(org, range)) {
      const aggregate = await incidents.getAggregate(org, summary.id);
      yield registerEntry(aggregate, await fieldsOf(org, summary.formId, summary.formVersion));
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
    const fields = await fieldsOf(org, aggregate.incident.formId, aggregate.incident.formVersion);
    return regulatorPackFiles(aggregate, audit, fields, deps.clock.now());
  }

  return { register, responseMetrics, pack };
}
