import type { NoticeTemplateInput } from './schema';

/**
 * Built-in templates. Optional facts are wrapped in a section with an inverted fallback
 * (`{{#x}}…{{/x}}{{^x}}…{{/x}}`); every other placeholder is required and reported when absent.
 */
export const BUILTIN_TEMPLATES: NoticeTemplateInput[] = [
  {
    id: 'gdpr-art33-authority',
    name: 'Personal data breach notification to the supervisory authority (GDPR/UK GDPR Art. 33)',
    regimeIds: ['eu-gdpr', 'uk-gdpr', 'ch-fadp', 'sg-pdpa', 'au-ndb', 'nz-privacy-act', 'ca-pipeda', 'za-popia', '*'],
    recipient: 'supervisory-authority',
    subject: 'Personal data breach notification — {{organisation.name}} (ref. {{reference}})',
    body: `To: {{authority.name}}

1. Controller
{{organisation.name}}, {{organisation.address}}
Data protection officer / contact point: {{dpo.name}}, {{dpo.email}}, {{dpo.phone}}

2. Timing
Breach occurred (or began): {{breach.occurredAt}}
We became aware of the breach: {{breach.awareAt}}
{{#delayReasons}}This notification is made more than 72 hours after awareness because: {{delayReasons}}{{/delayReasons}}{{^delayReasons}}This notification is made within 72 hours of awareness.{{/delayReasons}}

3. Nature of the breach (Art. 33(3)(a))
{{breach.description}}
Type: {{breach.nature}}
Categories of data subjects: {{dataSubjectCategories}}
Approximate number of data subjects concerned: {{approximateDataSubjects}}
Categories of personal data records: {{#dataCategories}}{{.}}; {{/dataCategories}}
Approximate number of personal data records concerned: {{approximateRecords}}

4. Likely consequences (Art. 33(3)(c))
{{likelyConsequences}}

5. Measures taken or proposed (Art. 33(3)(d))
Taken: {{measuresTaken}}
Proposed, including to mitigate possible adverse effects: {{measuresProposed}}

6. Communication to data subjects (Art. 34)
{{individualNoticeStatus}}

{{#phased}}This is an initial notification; further information will follow in phases (Art. 33(4)).{{/phased}}{{^phased}}This notification is complete to the best of our knowledge.{{/phased}}
`,
  },
  {
    id: 'gdpr-art34-individual',
    name: 'Notice to affected individuals (GDPR/UK GDPR Art. 34, plain language)',
    regimeIds: ['eu-gdpr', 'uk-gdpr', 'ch-fadp'],
    recipient: 'individuals',
    subject: 'Important: a security incident involving your personal data at {{organisation.name}}',
    body: `Dear {{recipient.name}},

We are writing to tell you about a security incident that affects your personal data.

What happened
{{breach.plainDescription}}

What data was involved
{{#dataCategories}}- {{.}}
{{/dataCategories}}
What this could mean for you
{{likelyConsequences}}

What we have done
{{measuresTaken}}

What you can do
{{individualSteps}}

Who to contact
Our data protection officer, {{dpo.name}}, can answer your questions: {{dpo.email}}{{#dpo.phone}}, {{dpo.phone}}{{/dpo.phone}}{{^dpo.phone}}{{/dpo.phone}}.

{{organisation.name}}
`,
  },
  {
    id: 'in-board-intimation',
    name: 'Intimation of personal data breach to the Data Protection Board of India (DPDP Rules 2025, r. 7(2))',
    regimeIds: ['in-dpdpa'],
    recipient: 'supervisory-authority',
    subject: 'Intimation of personal data breach under Rule 7 — {{organisation.name}} (ref. {{reference}})',
    body: `To: Data Protection Board of India

Data Fiduciary: {{organisation.name}}, {{organisation.address}}
Contact person: {{dpo.name}}, {{dpo.email}}, {{dpo.phone}}

Part A — Intimation without delay (r. 7(2)(a))
Description of the breach: {{breach.description}}
Nature and extent: {{breach.nature}}; approximately {{approximateDataSubjects}} Data Principals
Timing of occurrence: {{breach.occurredAt}} (became aware: {{breach.awareAt}})
Location of occurrence: {{breach.location}}
Likely impact: {{likelyConsequences}}

Part B — Within 72 hours (r. 7(2)(b))
{{#detailedReport}}
Updated and detailed information: {{detailedReport.update}}
Broad facts, events, circumstances and reasons leading to the breach: {{detailedReport.facts}}
Measures implemented or proposed to mitigate risk: {{measuresTaken}} / {{measuresProposed}}
Findings regarding the person who caused the breach: {{detailedReport.findingsOnPerson}}
Remedial measures to prevent recurrence: {{detailedReport.remedialMeasures}}
Report on intimations given to affected Data Principals: {{detailedReport.intimationsReport}}
{{/detailedReport}}
{{^detailedReport}}To follow within 72 hours of becoming aware, or within such longer period as the Board allows on written request.{{/detailedReport}}
`,
  },
  {
    id: 'us-ca-consumer-notice',
    name: 'California consumer breach notice (Cal. Civ. Code § 1798.82(d))',
    regimeIds: ['us-ca-breach'],
    recipient: 'individuals',
    subject: 'Notice of Data Breach',
    body: `NOTICE OF DATA BREACH

{{organisation.name}}
Date of notice: {{noticeDate}}

What Happened?
{{breach.plainDescription}} The breach occurred on or about {{breach.occurredAt}}.{{#lawEnforcementDelay}} Notification was delayed at the request of law enforcement.{{/lawEnforcementDelay}}{{^lawEnforcementDelay}}{{/lawEnforcementDelay}}

What Information Was Involved?
{{#dataCategories}}- {{.}}
{{/dataCategories}}
What We Are Doing.
{{measuresTaken}}{{#identityTheftServices}}
We are offering identity theft prevention and mitigation services at no cost to you for {{identityTheftServices.duration}}: {{identityTheftServices.instructions}}{{/identityTheftServices}}{{^identityTheftServices}}{{/identityTheftServices}}

What You Can Do.
{{individualSteps}}
You may contact the major credit reporting agencies: Equifax, Experian and TransUnion (toll-free numbers and addresses: {{creditBureausContact}}).

For More Information.
Contact {{contact.name}} at {{contact.phone}} or {{contact.email}}.
`,
  },
  {
    id: 'generic-individual',
    name: 'Generic notice to affected individuals',
    regimeIds: ['*'],
    recipient: 'individuals',
    subject: 'Notice of a data security incident — {{organisation.name}}',
    body: `Dear {{recipient.name}},

On {{breach.awareAt}} we became aware of a security incident involving your personal information.

What happened: {{breach.plainDescription}}
Information involved: {{#dataCategories}}{{.}}; {{/dataCategories}}
Possible consequences: {{likelyConsequences}}
What we are doing: {{measuresTaken}}
What you can do: {{individualSteps}}
Contact: {{contact.name}}, {{contact.email}}

{{organisation.name}}
`,
  },
  {
    id: 'stakeholder-briefing',
    name: 'Briefing to an internal stakeholder (executive sponsor, counsel, communications, insurer...)',
    regimeIds: ['*'],
    recipient: 'internal-stakeholder',
    subject: '[{{severity}}] Breach {{reference}}: briefing for the {{stakeholder.role}}',
    body: `{{stakeholder.name}},

You are informed of breach {{reference}} as the organisation's {{stakeholder.role}}.

Severity: {{severity}}; risk to the people affected: {{riskLevel}}
Became aware: {{breach.awareAt}}
What happened: {{#breach.description}}{{breach.description}}{{/breach.description}}{{^breach.description}}not described yet{{/breach.description}}
Data involved: {{#dataCategories}}{{.}}; {{/dataCategories}}{{^dataCategories}}not known yet{{/dataCategories}}
People affected (approx.): {{#approximateDataSubjects}}{{approximateDataSubjects}}{{/approximateDataSubjects}}{{^approximateDataSubjects}}not known yet{{/approximateDataSubjects}}
Notification duties: {{obligations.total}}{{#obligations.nextDueAt}}, the next due {{obligations.nextDueAt}}{{/obligations.nextDueAt}}{{^obligations.nextDueAt}}, none with a fixed deadline{{/obligations.nextDueAt}}

The response is led by the data protection officer{{#dpo.email}}, {{dpo.email}}{{/dpo.email}}{{^dpo.email}}{{/dpo.email}}.
`,
  },
  {
    id: 'generic-authority',
    name: 'Generic breach report to a regulator',
    regimeIds: ['*'],
    recipient: 'supervisory-authority',
    subject: 'Data breach report — {{organisation.name}} (ref. {{reference}})',
    body: `To: {{authority.name}}

Organisation: {{organisation.name}}, {{organisation.address}}
Contact: {{dpo.name}}, {{dpo.email}}
Became aware: {{breach.awareAt}}
Description: {{breach.description}}
Data involved: {{#dataCategories}}{{.}}; {{/dataCategories}}
People affected (approx.): {{approximateDataSubjects}}
Likely consequences: {{likelyConsequences}}
Measures taken: {{measuresTaken}}
`,
  },
];
