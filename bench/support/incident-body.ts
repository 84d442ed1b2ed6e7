/** A realistic first report on the seeded standard form; `{{n}}` makes each description unique. */
export function incidentBody(discoveredAt: string, variant = 0) {
  const variants = [
    {
      estimated_affected: 20000,
      data_categories: ['Health', 'Contact details'],
      jurisdictions: ['FR'],
      data_encrypted: 'Not encrypted',
      exfiltration: 'Confirmed',
    },
    {
      estimated_affected: 40,
      data_categories: ['Contact details'],
      jurisdictions: ['DE'],
      data_encrypted: 'Not encrypted',
      exfiltration: 'No evidence',
    },
    {
      estimated_affected: 1200,
      data_categories: ['Financial', 'Contact details'],
      jurisdictions: ['GB', 'IE'],
      data_encrypted: 'Not encrypted',
      exfiltration: 'Suspected',
    },
  ];
  return {
    formId: 'form_standard_breach_report',
    discoveredAt,
    responses: {
      description: 'Customer records exposed through a misconfigured storage bucket (bench #{{n}}).',
      breach_type: 'type_system_misconfiguration',
      ...variants[variant % variants.length]!,
    },
  };
}
