import { describe, expect, it } from 'vitest';
import { assessObligations, type AssessmentInput, type AssessmentResult, type Obligation } from '../../../domain/assessment';
import { defaultCatalog } from '../../../domain/regulations';
import { InvalidError } from '../../../domain/shared/errors';

/** A Monday morning UK breach of ordinary contact data; each scenario changes what it is about. */
const base: AssessmentInput = {
  awareAt: '2026-03-02T09:00:00Z',
  personalDataInvolved: true,
  nature: ['confidentiality'],
  cause: 'cyber-attack',
  dataCategories: ['contact'],
  affected: [{ jurisdiction: 'GB', count: 100 }],
  encryption: { state: 'none', keyCompromised: false },
  exfiltration: 'none',
  mitigations: {},
  role: 'controller',
};

interface Expect {
  id: string;
  required?: Obligation['required'];
  dueAt?: string;
  recommendedBy?: string;
  channel?: Obligation['channel'];
  stage?: { stage: string; dueAt: string };
  anchorAt?: string;
  conditionIncludes?: string;
  recipientIncludes?: string;
}

interface Scenario {
  name: string;
  input: Partial<AssessmentInput>;
  risk?: AssessmentResult['riskLevel']['level'];
  expect?: Expect[];
  absent?: string[];
  warning?: string;
  lead?: string;
}

function obligation(result: AssessmentResult, id: string): Obligation {
  const found = result.obligations.find((o) => o.id === id);
  if (!found) throw new Error(`no obligation ${id}; got ${result.obligations.map((o) => o.id).join(', ')}`);
  return found;
}

const HEALTH_EXFIL: Partial<AssessmentInput> = { dataCategories: ['health'], exfiltration: 'confirmed' };

const scenarios: Scenario[] = [
  // --- UK GDPR decision tree (runbook steps 1-4) ---
  {
    name: 'UK: contact data accessed → risk: ICO within 72 h, no Art. 34 notice',
    input: {},
    risk: 'risk',
    expect: [
      { id: 'uk-gdpr/art-33-authority/GB', required: 'yes', dueAt: '2026-03-05T09:00:00.000Z', recipientIncludes: 'ICO' },
      { id: 'uk-gdpr/art-34-individuals/GB', required: 'no' },
    ],
  },
  {
    name: 'UK: health data exfiltrated → high risk: ICO and individuals',
    input: HEALTH_EXFIL,
    risk: 'high-risk',
    expect: [
      {
        id: 'uk-gdpr/art-33-authority/GB',
        required: 'yes',
        dueAt: '2026-03-05T09:00:00.000Z',
        stage: { stage: 'supplementary', dueAt: '' },
      },
      { id: 'uk-gdpr/art-34-individuals/GB', required: 'yes', recommendedBy: '2026-03-05T09:00:00.000Z', channel: 'direct' },
    ],
  },
  {
    name: 'UK step 1: no personal data → nothing to notify',
    input: { personalDataInvolved: false, dataCategories: [] },
    risk: 'no-risk',
    expect: [{ id: 'uk-gdpr/art-33-authority/GB', required: 'no' }],
  },
  {
    name: 'UK step 2: data not accessed, disclosed, altered or lost → document internally',
    input: { nature: [] },
    risk: 'no-risk',
    expect: [{ id: 'uk-gdpr/art-33-authority/GB', required: 'no' }],
  },
  {
    name: 'UK: fully encrypted health data, key safe → unintelligible, below Art. 33(1) threshold',
    input: { ...HEALTH_EXFIL, encryption: { state: 'full', keyCompromised: false } },
    risk: 'no-risk',
    expect: [
      { id: 'uk-gdpr/art-33-authority/GB', required: 'no' },
      { id: 'uk-gdpr/art-34-individuals/GB', required: 'no' },
    ],
  },
  {
    name: 'UK: encryption key also stolen → encryption gives no protection',
    input: { ...HEALTH_EXFIL, encryption: { state: 'full', keyCompromised: true } },
    risk: 'high-risk',
    expect: [{ id: 'uk-gdpr/art-34-individuals/GB', required: 'yes' }],
  },
  {
    name: 'UK: health data e-mailed to a trusted wrong recipient who deleted it → ICO yes, individuals no',
    input: { dataCategories: ['health'], cause: 'human-error', mitigations: { dataRecoveredOrDeleted: true } },
    risk: 'risk',
    expect: [
      { id: 'uk-gdpr/art-33-authority/GB', required: 'yes' },
      { id: 'uk-gdpr/art-34-individuals/GB', required: 'no' },
    ],
  },
  {
    name: 'UK Art. 34(3)(b): measures make high risk unlikely → no individual notice',
    input: { ...HEALTH_EXFIL, mitigations: { highRiskNoLongerLikely: true } },
    risk: 'high-risk',
    expect: [
      { id: 'uk-gdpr/art-33-authority/GB', required: 'yes' },
      { id: 'uk-gdpr/art-34-individuals/GB', required: 'no' },
    ],
  },
  {
    name: 'UK Art. 34(3)(c): disproportionate effort → public communication instead',
    input: { ...HEALTH_EXFIL, mitigations: { individualNoticeDisproportionate: true } },
    expect: [{ id: 'uk-gdpr/art-34-individuals/GB', required: 'yes', channel: 'public-communication' }],
  },
  {
    name: 'UK Art. 33(2): processor notifies the controller, not the ICO',
    input: { role: 'processor' },
    expect: [
      { id: 'uk-gdpr/art-33-2-processor/GB', required: 'yes', recommendedBy: '2026-03-03T09:00:00.000Z' },
      { id: 'uk-gdpr/art-33-authority/GB', required: 'no' },
    ],
  },
  {
    name: 'UK availability: ransomware, restored from backup in 6 h, no exfiltration → no notification',
    input: { nature: ['availability'], cause: 'ransomware', mitigations: { backupRestored: true, unavailableHours: 6 } },
    risk: 'no-risk',
    expect: [{ id: 'uk-gdpr/art-33-authority/GB', required: 'no' }],
  },
  {
    name: 'UK availability: restored only after 72 h → risk, ICO notified',
    input: { nature: ['availability'], cause: 'ransomware', mitigations: { backupRestored: true, unavailableHours: 72 } },
    risk: 'risk',
    expect: [{ id: 'uk-gdpr/art-33-authority/GB', required: 'yes' }],
  },
  {
    name: 'UK availability: health records lost with no backup → high risk',
    input: { nature: ['availability'], cause: 'system-failure', dataCategories: ['health'] },
    risk: 'high-risk',
    expect: [{ id: 'uk-gdpr/art-34-individuals/GB', required: 'yes' }],
  },
  {
    name: "UK: the DPO's documented judgement overrides the engine",
    input: { riskOverride: { level: 'no-risk', rationale: 'Recipient is a sister company bound by NDA' } },
    risk: 'no-risk',
    expect: [{ id: 'uk-gdpr/art-33-authority/GB', required: 'no' }],
  },
  // --- EU GDPR: DST and one-stop-shop ---
  {
    name: 'EU: 72 hours across the spring DST change are elapsed hours',
    input: { awareAt: '2026-03-27T10:00:00+01:00', affected: [{ jurisdiction: 'DE', count: 40 }] },
    expect: [{ id: 'eu-gdpr/art-33-authority/DE', required: 'yes', dueAt: '2026-03-30T09:00:00.000Z' }],
    warning: 'no main establishment',
  },
  {
    name: 'EU one-stop-shop: main establishment in Ireland, DE and FR residents → only the DPC',
    input: {
      mainEstablishment: 'IE',
      affected: [
        { jurisdiction: 'DE', count: 100 },
        { jurisdiction: 'FR', count: 100 },
      ],
    },
    lead: 'IE',
    expect: [
      { id: 'eu-gdpr/art-33-authority/IE', required: 'yes', recipientIncludes: 'Data Protection Commission' },
      { id: 'eu-gdpr/art-33-authority/DE', required: 'no' },
      { id: 'eu-gdpr/art-33-authority/FR', required: 'no' },
    ],
  },
  {
    name: 'EU without an EEA establishment: every affected authority is notified',
    input: {
      mainEstablishment: 'US',
      affected: [
        { jurisdiction: 'DE', count: 100 },
        { jurisdiction: 'FR', count: 100 },
      ],
    },
    expect: [
      { id: 'eu-gdpr/art-33-authority/DE', required: 'yes' },
      { id: 'eu-gdpr/art-33-authority/FR', required: 'yes', recipientIncludes: 'CNIL' },
    ],
    absent: ['eu-gdpr/art-33-authority/US'],
  },
  {
    name: 'EU: Bavarian controller, German residents only → BayLDA',
    input: { mainEstablishment: 'DE-BY', affected: [{ jurisdiction: 'DE', count: 50 }] },
    lead: 'DE-BY',
    expect: [{ id: 'eu-gdpr/art-33-authority/DE-BY', required: 'yes', recipientIncludes: 'BayLDA' }],
    absent: ['eu-gdpr/art-33-authority/DE'],
  },
  {
    name: 'EU: French establishment, Italian residents only → still the lead (cross-border)',
    input: { mainEstablishment: 'FR', affected: [{ jurisdiction: 'IT', count: 10 }] },
    lead: 'FR',
    expect: [
      { id: 'eu-gdpr/art-33-authority/FR', required: 'yes' },
      { id: 'eu-gdpr/art-33-authority/IT', required: 'no' },
    ],
  },
  {
    name: 'EU: a subdivision code counts for its country',
    input: { affected: [{ jurisdiction: 'ES-CT', count: 5 }] },
    expect: [{ id: 'eu-gdpr/art-33-authority/ES', required: 'yes', recipientIncludes: 'AEPD' }],
  },
  // --- India: DPDP Rules phase-in and CERT-In ---
  {
    name: 'India after Rule 7 commences: Board without delay, detailed report in 72 h; CERT-In 6 h',
    input: { awareAt: '2027-06-01T10:00:00+05:30', affected: [{ jurisdiction: 'IN', count: 1000 }] },
    expect: [
      {
        id: 'in-dpdpa/board-intimation/IN',
        required: 'yes',
        recommendedBy: '2027-06-02T04:30:00.000Z',
        stage: { stage: 'detailed', dueAt: '2027-06-04T04:30:00.000Z' },
      },
      { id: 'in-dpdpa/data-principals/IN', required: 'yes' },
      { id: 'in-cert-in/cert-in-report/IN', required: 'yes', dueAt: '2027-06-01T10:30:00.000Z' },
    ],
  },
  {
    name: 'India before Rule 7 commences: only CERT-In applies',
    input: { awareAt: '2026-06-01T10:00:00+05:30', affected: [{ jurisdiction: 'IN', count: 1000 }] },
    expect: [{ id: 'in-cert-in/cert-in-report/IN', required: 'yes', dueAt: '2026-06-01T10:30:00.000Z' }],
    absent: ['in-dpdpa/board-intimation/IN'],
    warning: 'India DPDPA: no rule in force',
  },
  {
    name: 'India: the commencement date is an Indian calendar date (01:30 IST on 13 May 2027 is in force)',
    input: { awareAt: '2027-05-12T20:00:00Z', affected: [{ jurisdiction: 'IN', count: 10 }] },
    expect: [{ id: 'in-dpdpa/board-intimation/IN', required: 'yes' }],
  },
  {
    name: 'India: 23:30 IST on 12 May 2027 is not yet in force',
    input: { awareAt: '2027-05-12T18:00:00Z', affected: [{ jurisdiction: 'IN', count: 10 }] },
    absent: ['in-dpdpa/board-intimation/IN'],
  },
  {
    name: 'India: a processor has no DPDP duty of its own but CERT-In still applies to it',
    input: { awareAt: '2027-06-01T10:00:00+05:30', role: 'processor', affected: [{ jurisdiction: 'IN', count: 10 }] },
    expect: [
      { id: 'in-dpdpa/board-intimation/IN', required: 'no' },
      { id: 'in-cert-in/cert-in-report/IN', required: 'yes' },
    ],
    warning: 'India DPDPA: the catalog records no direct duty for processors',
  },
  // --- California ---
  {
    name: 'California 2026: 30 calendar days across DST, AG 15 days after notice when over 500',
    input: {
      awareAt: '2026-03-02T17:00:00Z',
      dataCategories: ['payment-card'],
      exfiltration: 'confirmed',
      affected: [{ jurisdiction: 'US-CA', count: 600 }],
    },
    expect: [
      { id: 'us-ca-breach/individuals/US-CA', required: 'yes', dueAt: '2026-04-01T16:00:00.000Z' },
      { id: 'us-ca-breach/attorney-general/US-CA', required: 'yes', dueAt: '2026-04-16T16:00:00.000Z' },
    ],
  },
  {
    name: 'California before SB 446: only "most expedient time possible"',
    input: {
      awareAt: '2025-06-01T12:00:00Z',
      dataCategories: ['payment-card'],
      exfiltration: 'confirmed',
      affected: [{ jurisdiction: 'US-CA', count: 600 }],
    },
    expect: [{ id: 'us-ca-breach/individuals/US-CA', required: 'yes', dueAt: undefined }],
  },
  {
    name: 'California: 500 residents is not "more than 500" → no AG sample',
    input: { dataCategories: ['government-id'], affected: [{ jurisdiction: 'US-CA', count: 500 }] },
    expect: [
      { id: 'us-ca-breach/individuals/US-CA', required: 'yes' },
      { id: 'us-ca-breach/attorney-general/US-CA', required: 'no' },
    ],
  },
  {
    name: 'California: encrypted data with a safe key is outside the statute',
    input: {
      dataCategories: ['government-id'],
      encryption: { state: 'full', keyCompromised: false },
      affected: [{ jurisdiction: 'US-CA', count: 900 }],
    },
    expect: [
      { id: 'us-ca-breach/individuals/US-CA', required: 'no' },
      { id: 'us-ca-breach/attorney-general/US-CA', required: 'no' },
    ],
  },
  {
    name: 'California: e-mail addresses alone are not covered personal information',
    input: { dataCategories: ['contact'], affected: [{ jurisdiction: 'US-CA', count: 900 }] },
    expect: [{ id: 'us-ca-breach/individuals/US-CA', required: 'no' }],
  },
  // --- Texas, Colorado, Florida, Washington, Vermont, New York ---
  {
    name: 'Texas: 250 residents → AG within 30 days of determination, residents within 60',
    input: {
      dataCategories: ['government-id'],
      awareAt: '2026-03-02T15:00:00Z',
      determinedAt: '2026-03-05T15:00:00Z',
      affected: [{ jurisdiction: 'US-TX', count: 250 }],
    },
    expect: [
      { id: 'us-tx-breach/attorney-general/US-TX', required: 'yes', dueAt: '2026-04-04T14:00:00.000Z' },
      { id: 'us-tx-breach/individuals/US-TX', required: 'yes', dueAt: '2026-05-04T14:00:00.000Z' },
    ],
  },
  {
    name: 'Texas: 249 residents → no AG notice',
    input: { dataCategories: ['government-id'], affected: [{ jurisdiction: 'US-TX', count: 249 }] },
    expect: [{ id: 'us-tx-breach/attorney-general/US-TX', required: 'no' }],
  },
  {
    name: 'Texas before SB 768 (1 Sep 2023): AG within 60 days',
    input: { dataCategories: ['government-id'], awareAt: '2023-06-01T12:00:00Z', affected: [{ jurisdiction: 'US-TX', count: 300 }] },
    expect: [{ id: 'us-tx-breach/attorney-general/US-TX', required: 'yes', dueAt: '2023-07-31T12:00:00.000Z' }],
  },
  {
    name: 'Colorado: 30 days from determination across the autumn DST change; CRA only above 1,000',
    input: {
      dataCategories: ['government-id'],
      exfiltration: 'confirmed',
      awareAt: '2026-10-15T16:00:00Z',
      determinedAt: '2026-10-20T16:00:00Z',
      affected: [{ jurisdiction: 'US-CO', count: 500 }],
    },
    expect: [
      { id: 'us-co-breach/individuals/US-CO', required: 'yes', dueAt: '2026-11-19T17:00:00.000Z' },
      { id: 'us-co-breach/attorney-general/US-CO', required: 'yes', dueAt: '2026-11-19T17:00:00.000Z' },
      { id: 'us-co-breach/consumer-reporting-agencies/US-CO', required: 'no' },
    ],
  },
  {
    name: 'Colorado risk-of-harm: a documented no-misuse finding makes notice conditional',
    input: {
      dataCategories: ['government-id'],
      affected: [{ jurisdiction: 'US-CO', count: 20 }],
      riskOverride: { level: 'no-risk', rationale: 'Forensics show no access to the file' },
    },
    expect: [{ id: 'us-co-breach/individuals/US-CO', required: 'conditional', conditionIncludes: 'misuse' }],
  },
  {
    name: 'Florida: a third-party agent tells the covered entity within 10 days',
    input: {
      role: 'processor',
      dataCategories: ['government-id'],
      determinedAt: '2026-03-03T14:00:00Z',
      affected: [{ jurisdiction: 'US-FL', count: 10 }],
    },
    expect: [
      { id: 'us-fl-breach/service-provider/US-FL', required: 'yes', dueAt: '2026-03-13T13:00:00.000Z' },
      { id: 'us-fl-breach/individuals/US-FL', required: 'no' },
    ],
  },
  {
    name: 'Washington: 501 residents → AG within 30 days',
    input: { dataCategories: ['government-id'], awareAt: '2026-03-02T17:00:00Z', affected: [{ jurisdiction: 'US-WA', count: 501 }] },
    expect: [{ id: 'us-wa-breach/attorney-general/US-WA', required: 'yes', dueAt: '2026-04-01T16:00:00.000Z' }],
  },
  {
    name: 'Washington: 500 residents → no AG notice',
    input: { dataCategories: ['government-id'], affected: [{ jurisdiction: 'US-WA', count: 500 }] },
    expect: [{ id: 'us-wa-breach/attorney-general/US-WA', required: 'no' }],
  },
  {
    name: 'Vermont: 14 business days skip the weekend and the observed Independence Day holiday',
    input: { dataCategories: ['government-id'], awareAt: '2026-06-26T14:00:00Z', affected: [{ jurisdiction: 'US-VT', count: 10 }] },
    expect: [
      { id: 'us-vt-breach/attorney-general/US-VT', required: 'yes', dueAt: '2026-07-17T14:00:00.000Z' },
      { id: 'us-vt-breach/individuals/US-VT', required: 'yes', dueAt: '2026-08-10T14:00:00.000Z' },
    ],
  },
  {
    name: 'New York: 30 days; regulators are told when residents are',
    input: { dataCategories: ['government-id'], awareAt: '2026-03-02T14:00:00Z', affected: [{ jurisdiction: 'US-NY', count: 20 }] },
    expect: [
      { id: 'us-ny-breach/individuals/US-NY', required: 'yes', dueAt: '2026-04-01T13:00:00.000Z' },
      { id: 'us-ny-breach/attorney-general/US-NY', required: 'yes', anchorAt: '2026-04-01T13:00:00.000Z' },
      { id: 'us-ny-breach/consumer-reporting-agencies/US-NY', required: 'no' },
    ],
  },
  // --- HIPAA ---
  {
    name: 'HIPAA: 620 patients → individuals and HHS within 60 days, media only in the state above 500',
    input: {
      sectors: ['hipaa-covered-entity'],
      dataCategories: ['health'],
      awareAt: '2026-03-02T14:00:00Z',
      affected: [
        { jurisdiction: 'US-CA', count: 600 },
        { jurisdiction: 'US-NV', count: 20 },
      ],
    },
    expect: [
      { id: 'us-hipaa/individuals/US', required: 'yes', dueAt: '2026-05-01T13:00:00.000Z' },
      { id: 'us-hipaa/hhs-500-or-more/US', required: 'yes' },
      { id: 'us-hipaa/hhs-under-500/US', required: 'no' },
      { id: 'us-hipaa/media/US-CA', required: 'yes' },
      { id: 'us-hipaa/media/US-NV', required: 'no' },
    ],
  },
  {
    name: 'HIPAA: under 500 → HHS log within 60 days after the end of the calendar year',
    input: { sectors: ['hipaa-covered-entity'], dataCategories: ['health'], affected: [{ jurisdiction: 'US-TX', count: 100 }] },
    expect: [{ id: 'us-hipaa/hhs-under-500/US', required: 'yes', dueAt: '2027-03-02T05:00:00.000Z' }],
  },
  {
    name: 'HIPAA does not concern an organisation outside the sector',
    input: { dataCategories: ['health'], affected: [{ jurisdiction: 'US-TX', count: 100 }] },
    absent: ['us-hipaa/individuals/US', 'us-hipaa/hhs-under-500/US'],
  },
  {
    name: 'HIPAA business associate → covered entity within 60 days',
    input: {
      role: 'processor',
      sectors: ['hipaa-business-associate'],
      dataCategories: ['health'],
      awareAt: '2026-03-02T14:00:00Z',
      affected: [{ jurisdiction: 'US-TX', count: 100 }],
    },
    expect: [{ id: 'us-hipaa/business-associate/US', required: 'yes', dueAt: '2026-05-01T13:00:00.000Z' }],
    absent: ['us-hipaa/individuals/US'],
  },
  {
    name: 'HIPAA: a low probability of compromise leaves individual notice conditional',
    input: {
      sectors: ['hipaa-covered-entity'],
      dataCategories: ['health'],
      affected: [{ jurisdiction: 'US-TX', count: 10 }],
      riskOverride: { level: 'no-risk', rationale: 'Four-factor assessment: misdirected fax returned unread' },
    },
    expect: [{ id: 'us-hipaa/individuals/US', required: 'conditional', conditionIncludes: 'four-factor' }],
  },
  // --- Brazil business days and holidays ---
  {
    name: 'Brazil: 3 business days skip Black Consciousness Day; supplement within 20 business days',
    input: { awareAt: '2026-11-18T15:00:00Z', ...HEALTH_EXFIL, affected: [{ jurisdiction: 'BR', count: 100 }] },
    expect: [
      {
        id: 'br-lgpd/anpd/BR',
        required: 'yes',
        dueAt: '2026-11-24T15:00:00.000Z',
        stage: { stage: 'supplementary', dueAt: '2026-12-22T15:00:00.000Z' },
      },
      { id: 'br-lgpd/data-subjects/BR', required: 'yes', dueAt: '2026-11-24T15:00:00.000Z' },
    ],
  },
  {
    name: 'Brazil: small processing agents get doubled deadlines',
    input: { awareAt: '2026-11-18T15:00:00Z', ...HEALTH_EXFIL, smallEnterprise: true, affected: [{ jurisdiction: 'BR', count: 100 }] },
    expect: [{ id: 'br-lgpd/anpd/BR', required: 'yes', dueAt: '2026-11-27T15:00:00.000Z' }],
  },
  {
    name: 'Brazil: ordinary contact data does not meet the relevant-risk criteria',
    input: { affected: [{ jurisdiction: 'BR', count: 100 }] },
    expect: [{ id: 'br-lgpd/anpd/BR', required: 'no' }],
  },
  {
    name: 'Brazil before Resolution 15/2024: a reasonable time, no fixed limit',
    input: { awareAt: '2023-05-10T15:00:00Z', ...HEALTH_EXFIL, affected: [{ jurisdiction: 'BR', count: 100 }] },
    expect: [{ id: 'br-lgpd/anpd/BR', required: 'yes', dueAt: undefined }],
  },
  // --- Asia-Pacific ---
  {
    name: 'Singapore: 500+ individuals → PDPC within 3 days of determination; individuals conditional',
    input: { determinedAt: '2026-03-03T01:00:00Z', affected: [{ jurisdiction: 'SG', count: 600 }] },
    expect: [
      { id: 'sg-pdpa/pdpc/SG', required: 'yes', dueAt: '2026-03-06T01:00:00.000Z' },
      { id: 'sg-pdpa/individuals/SG', required: 'conditional' },
    ],
  },
  {
    name: 'Singapore: small breach of ordinary data → PDPC only if significant harm (conditional)',
    input: { affected: [{ jurisdiction: 'SG', count: 10 }] },
    expect: [{ id: 'sg-pdpa/pdpc/SG', required: 'conditional', conditionIncludes: 'significant harm' }],
  },
  {
    name: 'Japan: ransomware is an unlawful-purpose leak → final report within 60 days',
    input: { cause: 'ransomware', awareAt: '2026-03-02T00:00:00Z', affected: [{ jurisdiction: 'JP', count: 10 }] },
    expect: [
      { id: 'jp-appi/ppc-report-unlawful-purpose/JP', required: 'yes', dueAt: '2026-05-01T00:00:00.000Z' },
      { id: 'jp-appi/ppc-report/JP', required: 'no' },
    ],
  },
  {
    name: 'Japan: human error affecting more than 1,000 → final report within 30 days',
    input: { cause: 'human-error', awareAt: '2026-03-02T00:00:00Z', affected: [{ jurisdiction: 'JP', count: 1500 }] },
    expect: [
      { id: 'jp-appi/ppc-report/JP', required: 'yes', dueAt: '2026-04-01T00:00:00.000Z' },
      { id: 'jp-appi/ppc-report-unlawful-purpose/JP', required: 'no' },
    ],
  },
  {
    name: 'South Korea: a small accidental leak → individuals within 72 h, no PIPC report',
    input: { cause: 'human-error', affected: [{ jurisdiction: 'KR', count: 50 }] },
    expect: [
      { id: 'kr-pipa/individuals/KR', required: 'yes', dueAt: '2026-03-05T09:00:00.000Z' },
      { id: 'kr-pipa/pipc-kisa/KR', required: 'no' },
    ],
  },
  {
    name: 'South Korea: external hacking → PIPC/KISA within 72 h whatever the size',
    input: { cause: 'cyber-attack', affected: [{ jurisdiction: 'KR', count: 50 }] },
    expect: [{ id: 'kr-pipa/pipc-kisa/KR', required: 'yes', dueAt: '2026-03-05T09:00:00.000Z' }],
  },
  {
    name: 'Switzerland: high risk → FDPIC as quickly as possible; processor route to controller',
    input: { ...HEALTH_EXFIL, affected: [{ jurisdiction: 'CH', count: 10 }] },
    expect: [{ id: 'ch-fadp/art-24-fdpic/CH', required: 'yes', recommendedBy: '2026-03-05T09:00:00.000Z' }],
  },
  {
    name: 'Australia: serious harm → OAIC as soon as practicable',
    input: { ...HEALTH_EXFIL, affected: [{ jurisdiction: 'AU', count: 10 }] },
    expect: [{ id: 'au-ndb/oaic/AU', required: 'yes', dueAt: undefined }],
  },
  {
    name: 'Turkey: unlawful acquisition must be reported within 72 hours even when risk is judged low',
    input: {
      affected: [{ jurisdiction: 'TR', count: 5 }],
      riskOverride: { level: 'no-risk', rationale: 'Only business e-mail addresses' },
    },
    expect: [{ id: 'tr-kvkk/board/TR', required: 'yes', dueAt: '2026-03-05T09:00:00.000Z' }],
  },
  {
    name: 'Kenya: a processor has 48 hours to tell the controller',
    input: { role: 'processor', affected: [{ jurisdiction: 'KE', count: 10 }] },
    expect: [{ id: 'ke-dpa/processor/KE', required: 'yes', dueAt: '2026-03-04T09:00:00.000Z' }],
  },
  {
    name: 'Malaysia: more than 1,000 data subjects is significant harm by scale; individuals only on harm',
    input: { affected: [{ jurisdiction: 'MY', count: 1500 }] },
    expect: [
      { id: 'my-pdpa/commissioner/MY', required: 'yes', dueAt: '2026-03-05T09:00:00.000Z' },
      { id: 'my-pdpa/data-subjects/MY', required: 'conditional' },
    ],
  },
  {
    name: 'UK PECR: a telecom provider reports to the ICO within 24 hours, in full within 3 days',
    input: { sectors: ['electronic-communications-provider'] },
    expect: [
      {
        id: 'uk-pecr/reg-5a-ico/GB',
        required: 'yes',
        dueAt: '2026-03-03T09:00:00.000Z',
        stage: { stage: 'final', dueAt: '2026-03-05T09:00:00.000Z' },
      },
    ],
  },
  {
    name: 'Nigeria: high risk → Commission within 72 h and data subjects immediately',
    input: { ...HEALTH_EXFIL, affected: [{ jurisdiction: 'NG', count: 30 }] },
    expect: [
      { id: 'ng-ndpa/ndpc/NG', required: 'yes', dueAt: '2026-03-05T09:00:00.000Z' },
      { id: 'ng-ndpa/data-subjects/NG', required: 'yes' },
    ],
  },
  // --- Coverage gaps ---
  {
    name: 'A jurisdiction without a regime is reported, never silently skipped',
    input: { affected: [{ jurisdiction: 'AR', count: 10 }] },
    warning: 'No regime in the catalog covers AR',
  },
];

describe('assessObligations scenarios', () => {
  const catalog = defaultCatalog();

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const result = assessObligations({ ...base, ...s.input }, catalog);
    if (s.risk) expect(result.riskLevel.level).toBe(s.risk);
    if (s.lead) expect(result.leadAuthority?.jurisdiction).toBe(s.lead);
    if (s.warning) expect(result.warnings.join('\n')).toContain(s.warning);
    for (const id of s.absent ?? []) expect(result.obligations.map((o) => o.id)).not.toContain(id);
    for (const e of s.expect ?? []) {
      const o = obligation(result, e.id);
      if (e.required) expect(o.required, e.id).toBe(e.required);
      if ('dueAt' in e) expect(o.deadline?.dueAt, e.id).toBe(e.dueAt);
      if (e.recommendedBy) expect(o.deadline?.recommendedBy, e.id).toBe(e.recommendedBy);
      if (e.channel) expect(o.channel).toBe(e.channel);
      if (e.anchorAt) expect(o.deadline?.anchorAt).toBe(e.anchorAt);
      if (e.conditionIncludes) expect(o.condition?.toLowerCase()).toContain(e.conditionIncludes.toLowerCase());
      if (e.recipientIncludes) expect(o.recipientName).toContain(e.recipientIncludes);
      if (e.stage) {
        const st = o.stages.find((x) => x.stage === e.stage!.stage);
        expect(st, `${e.id} stage ${e.stage.stage}`).toBeDefined();
        if (e.stage.dueAt) expect(st!.deadline.dueAt).toBe(e.stage.dueAt);
      }
      if (o.required === 'no') expect(o.deadline).toBeNull();
      expect(o.reasoning.length).toBeGreaterThan(0);
      expect(o.sourceUrl).toMatch(/^https?:\/\//);
    }
  });

  it('every scenario above is distinct', () => {
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
  });
});

describe('assessObligations output and bad input', () => {
  const catalog = defaultCatalog();

  it('carries severity, the catalog version and normalised categories', () => {
    const r = assessObligations({ ...base, dataCategories: ['Personal', 'Financial'], exfiltration: 'confirmed' }, catalog);
    expect(r.catalogVersion).toBe(catalog.version);
    expect(r.dataCategories.sort()).toEqual(['contact', 'financial', 'identity']);
    expect(r.severity.factors.find((f) => f.factor === 'exposure')!.reason).toContain('exfiltration');
    expect(r.severity.level).toBe('high');
  });

  it('refuses a jurisdiction that is not an ISO code, naming the field', () => {
    expect(() => assessObligations({ ...base, affected: [{ jurisdiction: 'UK', count: 3 }] }, catalog)).toThrow(InvalidError);
    try {
      assessObligations({ ...base, affected: [{ jurisdiction: 'UK', count: 3 }] }, catalog);
    } catch (e) {
      expect((e as InvalidError).issues.map((i) => i.path)).toContain('affected.0.jurisdiction');
    }
  });

  it('refuses unknown data category labels, naming the index', () => {
    try {
      assessObligations({ ...base, dataCategories: ['contact', 'Shoe size'] }, catalog);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidError);
      expect((e as InvalidError).issues[0]!.path).toBe('dataCategories.1');
    }
  });

  it.each([
    ['awareAt without offset', { awareAt: '2026-03-02 09:00' }, 'awareAt'],
    ['negative count', { affected: [{ jurisdiction: 'GB', count: -1 }] }, 'affected.0.count'],
    ['unknown role', { role: 'owner' }, 'role'],
    ['unknown nature', { nature: ['privacy'] }, 'nature.0'],
  ])('refuses %s', (_n, patch, path) => {
    try {
      assessObligations({ ...base, ...patch } as unknown as AssessmentInput, catalog);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidError);
      expect((e as InvalidError).issues.map((i) => i.path)).toContain(path);
    }
  });
});
