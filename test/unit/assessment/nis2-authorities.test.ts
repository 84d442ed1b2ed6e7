import { describe, expect, it } from 'vitest';
import { assessObligations, type AssessmentInput, type AssessmentResult, type Obligation } from '../../../domain/assessment';
import { defaultCatalog, getRegulation } from '../../../domain/regulations';

/** NIS2 reports go to the national CSIRT or competent authority of the member state of establishment. */
const catalog = defaultCatalog();
const nis2 = getRegulation(catalog, 'eu-nis2');

const significant: AssessmentInput = {
  awareAt: '2026-03-02T09:00:00Z',
  personalDataInvolved: false,
  nature: ['availability'],
  affected: [],
  sectors: ['nis2-essential-entity'],
  cyberIncident: { classes: ['significant'] },
};
const run = (patch: Partial<AssessmentInput>): AssessmentResult => assessObligations({ ...significant, ...patch }, catalog);
function get(r: AssessmentResult, id: string): Obligation {
  const o = r.obligations.find((x) => x.id === id);
  if (!o) throw new Error(`no obligation ${id}; got ${r.obligations.map((x) => x.id).join(', ')}`);
  return o;
}

describe('NIS2 recipients per member state', () => {
  it('lists one receiving body for each of the 27 member states the regime covers, each with its source', () => {
    const covered = nis2.authorities.flatMap((a) => a.jurisdictions).sort();
    expect(covered).toEqual([...nis2.jurisdictions].sort());
    for (const a of nis2.authorities) {
      expect(a.receives).toBe('sector-regulator');
      expect(a.sourceUrl).toMatch(/^https?:\/\//);
      // An unverified body must say why.
      if (!a.verified) expect(a.note ?? '').toMatch(/^Not verified/);
    }
  });

  it('names the BSI for an entity established in Germany, at every stage, and keeps the stage verified', () => {
    const r = run({ operatesIn: ['DE'] });
    for (const stage of ['early-warning', 'incident-notification', 'final-report']) {
      const o = get(r, `eu-nis2/${stage}/DE`);
      expect(o.recipientName).toContain('BSI');
      expect(o.authorityUrl).toContain('bsi.bund.de');
      expect(o.verified).toBe(true);
    }
    // The recipients of the entity's services are not a CSIRT.
    expect(get(r, 'eu-nis2/service-recipients/DE').authorityUrl).toBeUndefined();
  });

  it('one clock per member state of establishment, each to its own body', () => {
    const r = run({ operatesIn: ['BE', 'CZ'] });
    expect(get(r, 'eu-nis2/early-warning/BE').recipientName).toContain('Centre for Cybersecurity Belgium');
    expect(get(r, 'eu-nis2/early-warning/CZ').howToNotify).toContain('Portál NÚKIB');
  });

  it('an unverified national body makes the obligation unverified and says so in the warnings', () => {
    const r = run({ operatesIn: ['FR'] });
    const o = get(r, 'eu-nis2/early-warning/FR');
    expect(o.recipientName).toContain('ANSSI');
    expect(o.verified).toBe(false);
    expect(r.verificationWarnings.join('\n')).toContain('eu-nis2/early-warning/FR');
  });

  it('does not hand a CSIRT to the GDPR: a German breach still goes to the data protection authority', () => {
    const r = run({
      operatesIn: ['DE'],
      personalDataInvolved: true,
      nature: ['confidentiality'],
      dataCategories: ['health'],
      exfiltration: 'confirmed',
      affected: [{ jurisdiction: 'DE', count: 100 }],
      mainEstablishment: 'DE',
    });
    const gdpr = r.obligations.find((o) => o.regimeId === 'eu-gdpr' && o.recipient === 'supervisory-authority' && o.required === 'yes');
    expect(gdpr?.recipientName).toBeDefined();
    expect(gdpr?.recipientName).not.toContain('BSI');
  });
});
