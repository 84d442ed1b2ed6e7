/** The seed's seven breach types; every organisation starts with them under readable ids. */
export const defaultBreachTypes = [
  { id: 'type_unauthorized_access', name: 'Unauthorized Access', description: 'An unauthorized party accessed personal data' },
  { id: 'type_data_theft', name: 'Data Theft', description: 'Personal data was intentionally stolen' },
  { id: 'type_accidental_disclosure', name: 'Accidental Disclosure', description: 'Personal data was unintentionally exposed' },
  { id: 'type_ransomware', name: 'Ransomware', description: 'Systems containing personal data were encrypted by malware' },
  { id: 'type_lost_device', name: 'Lost Device', description: 'A device containing personal data was lost or stolen' },
  { id: 'type_phishing', name: 'Phishing', description: 'Personal data was obtained through social engineering' },
  { id: 'type_system_misconfiguration', name: 'System Misconfiguration', description: 'Data exposed due to incorrect system settings' },
] as const;
