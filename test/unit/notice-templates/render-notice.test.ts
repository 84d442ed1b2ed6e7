import { describe, expect, it } from 'vitest';
import { getTemplate, listTemplates, renderNotice, selectTemplate, validateTemplate } from '../../../domain/notice-templates';
import { InvalidError, NotFoundError } from '../../../domain/shared/errors';

const facts = {
  reference: 'INC-42',
  organisation: { name: 'Acme Ltd', address: '1 High St, London' },
  authority: { name: "Information Commissioner's Office" },
  dpo: { name: 'Dana Protect', email: 'dpo@acme.test', phone: '+44 20 0000 0000' },
  recipient: { name: 'Sam' },
  breach: {
    occurredAt: '2026-03-01T22:00:00Z',
    awareAt: '2026-03-02T09:00:00Z',
    description: 'SQL injection on the billing API exposed customer records.',
    plainDescription: 'Someone broke into our billing system and copied customer records.',
    nature: 'confidentiality',
    location: 'Mumbai data centre',
  },
  dataSubjectCategories: 'customers',
  approximateDataSubjects: 1500,
  approximateRecords: 1800,
  dataCategories: ['names', 'bank account numbers'],
  likelyConsequences: 'Risk of fraud and phishing.',
  measuresTaken: 'Patched the API and reset credentials.',
  measuresProposed: 'Independent penetration test.',
  individualNoticeStatus: 'Customers will be notified on 4 March.',
  individualSteps: 'Watch your bank statements and beware of phishing e-mails.',
  contact: { name: 'Acme Support', phone: '0800 000 000', email: 'help@acme.test' },
  noticeDate: '2026-03-04',
  creditBureausContact: 'Equifax 1-800-685-1111; Experian 1-888-397-3742; TransUnion 1-888-909-8872',
};

describe('renderNotice', () => {
  it('renders the Art. 33 report with every Art. 33(3) element and nothing missing', () => {
    const r = renderNotice('gdpr-art33-authority', facts);
    expect(r.missing).toEqual([]);
    expect(r.complete).toBe(true);
    expect(r.subject).toBe('Personal data breach notification — Acme Ltd (ref. INC-42)');
    for (const element of [
      'Approximate number of data subjects concerned: 1500',
      'Approximate number of personal data records concerned: 1800',
      'Dana Protect, dpo@acme.test',
      'Risk of fraud and phishing.',
      'Taken: Patched the API',
      'Proposed, including to mitigate possible adverse effects: Independent',
      'names; bank account numbers;',
    ]) {
      expect(r.body).toContain(element);
    }
    expect(r.body).toContain('within 72 hours of awareness');
  });

  it('uses the optional section when the fact is present (reasons for delay)', () => {
    const r = renderNotice('gdpr-art33-authority', { ...facts, delayReasons: 'forensic scoping over a holiday weekend' });
    expect(r.body).toContain('because: forensic scoping over a holiday weekend');
    expect(r.body).not.toContain('within 72 hours of awareness');
  });

  it('flags missing facts and shows a visible marker instead of a blank', () => {
    const { dpo: _dpo, approximateRecords: _r, ...partial } = facts;
    const r = renderNotice('gdpr-art33-authority', partial);
    expect(r.complete).toBe(false);
    expect(r.missing).toEqual(['approximateRecords', 'dpo.email', 'dpo.name', 'dpo.phone']);
    expect(r.body).toContain('[missing: dpo.email]');
    expect(r.body).toContain('records concerned: [missing: approximateRecords]');
  });

  it('treats empty strings and empty lists as missing', () => {
    const r = renderNotice('gdpr-art34-individual', { ...facts, likelyConsequences: '  ', dataCategories: [] });
    expect(r.missing).toEqual(['dataCategories', 'likelyConsequences']);
  });

  it('the California notice carries the statutory title and headings in order', () => {
    const r = renderNotice('us-ca-consumer-notice', facts);
    expect(r.subject).toBe('Notice of Data Breach');
    const headings = [
      'What Happened?',
      'What Information Was Involved?',
      'What We Are Doing.',
      'What You Can Do.',
      'For More Information.',
    ];
    const positions = headings.map((h) => r.body.indexOf(h));
    positions.forEach((p) => expect(p).toBeGreaterThan(-1));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(r.missing).toEqual([]);
    expect(r.body).not.toContain('law enforcement');
  });

  it('the India Board intimation holds the 72-hour part until it is supplied', () => {
    const initial = renderNotice('in-board-intimation', facts);
    expect(initial.missing).toEqual([]);
    expect(initial.body).toContain('To follow within 72 hours');
    const detailed = renderNotice('in-board-intimation', {
      ...facts,
      detailedReport: {
        update: 'Scope confirmed',
        facts: 'Unpatched API',
        findingsOnPerson: 'External actor',
        remedialMeasures: 'WAF rules',
      },
    });
    expect(detailed.missing).toEqual(['detailedReport.intimationsReport']);
    expect(detailed.body).toContain('Findings regarding the person who caused the breach: External actor');
  });

  it('does not HTML-escape plain-text facts', () => {
    const r = renderNotice('generic-individual', { ...facts, measuresTaken: 'Reset <all> passwords & keys' });
    expect(r.body).toContain('Reset <all> passwords & keys');
  });

  it('renders an inline template and rejects a malformed one', () => {
    const r = renderNotice(
      { id: 'inline', name: 'Inline', regimeIds: ['*'], recipient: 'individuals', subject: 'Hi {{name}}', body: '{{greeting}}' },
      { name: 'Ada' },
    );
    expect(r).toMatchObject({ subject: 'Hi Ada', missing: ['greeting'] });
    expect(() =>
      renderNotice(
        { id: 'bad', name: 'Bad', regimeIds: ['*'], recipient: 'individuals', subject: 'x', body: '{{#open}} never closed' },
        {},
      ),
    ).toThrow(InvalidError);
  });
});

describe('template catalogue and organisation overrides', () => {
  it('an organisation override replaces the built-in with the same id', () => {
    const override = { ...getTemplate('generic-individual'), subject: 'Acme: important security notice', body: 'Hello {{recipient.name}}' };
    const r = renderNotice('generic-individual', facts, { overrides: [override] });
    expect(r.subject).toBe('Acme: important security notice');
    expect(r.body).toBe('Hello Sam');
    expect(listTemplates({ overrides: [override] }).filter((t) => t.id === 'generic-individual')).toHaveLength(1);
  });

  it('selects by regime and recipient with a wildcard fallback', () => {
    expect(selectTemplate('us-ca-breach', 'individuals')?.id).toBe('us-ca-consumer-notice');
    expect(selectTemplate('in-dpdpa', 'supervisory-authority')?.id).toBe('in-board-intimation');
    expect(selectTemplate('kr-pipa', 'individuals')?.id).toBe('generic-individual');
    expect(selectTemplate('kr-pipa', 'media')).toBeUndefined();
  });

  it('unknown template ids are NotFound; invalid overrides are refused', () => {
    expect(() => renderNotice('nope', facts)).toThrow(NotFoundError);
    expect(() =>
      validateTemplate({ id: 'Bad Id', name: 'x', regimeIds: ['*'], recipient: 'individuals', subject: 's', body: 'b' }),
    ).toThrow(InvalidError);
  });

  it('every template an obligation in the catalog points to exists', async () => {
    const { defaultCatalog } = await import('../../../domain/regulations');
    const ids = new Set(listTemplates().map((t) => t.id));
    for (const regime of defaultCatalog().regimes)
      for (const rule of regime.rules) if (rule.templateId) expect(ids.has(rule.templateId), `${regime.id}/${rule.id}`).toBe(true);
  });
});
