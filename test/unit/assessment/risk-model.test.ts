import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessRisk, parseAssessmentInput, riskFromMatrix, riskRank, severityBand, type AssessmentInput } from '../../../domain/assessment';
import { DataCategory } from '../../../domain/severity/schema';
import { normaliseDataCategories } from '../../../domain/severity/categories';

const base: AssessmentInput = {
  awareAt: '2026-03-02T09:00:00Z',
  personalDataInvolved: true,
  nature: ['confidentiality'],
  cause: 'cyber-attack',
  dataCategories: ['contact'],
  affected: [{ jurisdiction: 'GB', count: 10 }],
};

function risk(patch: Partial<AssessmentInput>) {
  const input = parseAssessmentInput({ ...base, ...patch });
  return assessRisk(input, normaliseDataCategories(input.dataCategories).categories);
}

describe('risk model: severity × likelihood', () => {
  it('uses ENISA bands and a likelihood matrix', () => {
    expect([1.99, 2, 2.99, 3, 3.99, 4].map(severityBand)).toEqual(['low', 'medium', 'medium', 'high', 'high', 'very-high']);
    expect(riskFromMatrix('very-high', 'negligible')).toBe('no-risk');
    expect(riskFromMatrix('medium', 'unlikely')).toBe('no-risk');
    expect(riskFromMatrix('high', 'unlikely')).toBe('risk');
    expect(riskFromMatrix('low', 'likely')).toBe('risk');
    expect(riskFromMatrix('high', 'possible')).toBe('high-risk');
  });

  it('weighs volume: ordinary contact data is a risk for ten people and a high risk for a million', () => {
    expect(risk({ affected: [{ jurisdiction: 'GB', count: 10 }] }).level).toBe('risk');
    const million = risk({ affected: [{ jurisdiction: 'GB', count: 1_000_000 }] });
    expect(million.level).toBe('high-risk');
    expect(million.reasons.join(' ')).toContain('1,000,000 people affected');
  });

  it('weighs ease of identification: pseudonymised health data hard to link back is a risk, not a high risk', () => {
    expect(risk({ dataCategories: ['health'] }).level).toBe('high-risk');
    const pseudonymised = risk({ dataCategories: ['health'], easeOfIdentification: 'negligible' });
    expect(pseudonymised.level).toBe('risk');
    expect(pseudonymised.reasons.join(' ')).toContain('Ease of identification negligible');
  });

  it('weighs vulnerable data subjects: exfiltrated contact data of patients is a high risk', () => {
    expect(risk({ exfiltration: 'confirmed' }).level).toBe('risk');
    expect(risk({ exfiltration: 'confirmed', vulnerableSubjects: true }).level).toBe('high-risk');
  });

  it('weighs the recipient: a trusted recipient who deleted the data lowers the risk; an untrusted one cannot be relied on', () => {
    const misdirected: Partial<AssessmentInput> = { cause: 'human-error', dataCategories: ['financial'] };
    expect(risk({ ...misdirected, unauthorisedRecipient: 'trusted' }).level).toBe('high-risk');
    expect(risk({ ...misdirected, unauthorisedRecipient: 'trusted', mitigations: { dataRecoveredOrDeleted: true } }).level).toBe('risk');
    expect(risk({ ...misdirected, unauthorisedRecipient: 'untrusted', mitigations: { dataRecoveredOrDeleted: true } }).level).toBe(
      'high-risk',
    );
  });

  it('ransomware: backups restoring within hours leave no risk; no backup leaves a risk; health records a high one', () => {
    const ransomware: Partial<AssessmentInput> = { nature: ['availability'], cause: 'ransomware' };
    expect(risk({ ...ransomware, mitigations: { backupRestored: true, unavailableHours: 4 } }).level).toBe('no-risk');
    expect(risk(ransomware).level).toBe('risk');
    expect(risk({ ...ransomware, dataCategories: ['health'], mitigations: { backupRestored: true, unavailableHours: 4 } }).level).toBe(
      'high-risk',
    );
  });

  it('credential stuffing: reset before misuse takes a high risk down to a risk', () => {
    expect(risk({ dataCategories: ['credentials'] }).level).toBe('high-risk');
    expect(risk({ dataCategories: ['credentials'], mitigations: { credentialsReset: true } }).level).toBe('risk');
  });

  it('gives every level its reasons, with the severity arithmetic', () => {
    const r = risk({ dataCategories: ['health'], exfiltration: 'confirmed', affected: [{ jurisdiction: 'GB', count: 20_000 }] });
    expect(r.reasons.join(' ')).toMatch(/Severity 4 × 1 \+ 0\.5 \+ 0\.5 \+ 0\.5 = 5\.5 \(very-high\)/);
  });
});

const categoryArb = fc.subarray([...DataCategory.options], { maxLength: 4 });
const scenarioArb = fc.record({
  nature: fc.subarray(['confidentiality', 'integrity', 'availability'] as const),
  cause: fc.constantFrom(
    'cyber-attack',
    'ransomware',
    'phishing',
    'human-error',
    'misconfiguration',
    'lost-device',
    'theft',
    'system-failure',
    'other',
  ),
  dataCategories: categoryArb,
  exfiltration: fc.constantFrom('confirmed', 'suspected', 'none'),
  encryption: fc.record({ state: fc.constantFrom('none', 'partial', 'full'), keyCompromised: fc.boolean() }),
  unauthorisedRecipient: fc.option(fc.constantFrom('trusted', 'untrusted', 'unknown'), { nil: undefined }),
  easeOfIdentification: fc.option(fc.constantFrom('negligible', 'limited', 'significant', 'maximum'), { nil: undefined }),
  vulnerableSubjects: fc.option(fc.boolean(), { nil: undefined }),
  mitigations: fc.record(
    {
      dataRecoveredOrDeleted: fc.boolean(),
      backupRestored: fc.boolean(),
      unavailableHours: fc.integer({ min: 0, max: 500 }),
      credentialsReset: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
  count: fc.integer({ min: 0, max: 5_000_000 }),
}) as fc.Arbitrary<Partial<AssessmentInput> & { count: number }>;

const level = ({ count, ...s }: Partial<AssessmentInput> & { count: number }) =>
  riskRank(risk({ ...s, affected: [{ jurisdiction: 'GB', count }] }).level);

describe('risk model properties', () => {
  it('more people never lowers the risk', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 5_000_000 }), (s, extra) => level({ ...s, count: s.count + extra }) >= level(s)),
      { numRuns: 400 },
    );
  });

  it('a safe key never raises the risk', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => level({ ...s, encryption: { state: 'full', keyCompromised: false } }) <= level(s)),
      { numRuns: 400 },
    );
  });

  it('a trusted recipient never raises the risk above an untrusted one', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        (s) => level({ ...s, unauthorisedRecipient: 'trusted' }) <= level({ ...s, unauthorisedRecipient: 'untrusted' }),
      ),
      { numRuns: 300 },
    );
  });

  it('a restore from backup never raises the risk', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        (s) =>
          level({ ...s, mitigations: { ...s.mitigations, backupRestored: true } }) <=
          level({ ...s, mitigations: { ...s.mitigations, backupRestored: false } }),
      ),
      { numRuns: 300 },
    );
  });
});
