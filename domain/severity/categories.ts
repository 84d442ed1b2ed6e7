import type { DataCategory } from './schema';
import { DataCategory as DataCategoryEnum } from './schema';

/**
 * Free labels (the seed form's options and common synonyms) onto stable codes.
 * The seed's "Personal" is ordinary identifying/contact data, so it maps to both.
 */
const LABELS: Record<string, DataCategory[]> = {
  personal: ['identity', 'contact'],
  'personal data': ['identity', 'contact'],
  name: ['identity'],
  names: ['identity'],
  'date of birth': ['identity'],
  email: ['contact'],
  'email address': ['contact'],
  phone: ['contact'],
  address: ['contact'],
  'contact details': ['contact'],
  financial: ['financial'],
  'bank account': ['financial'],
  'bank details': ['financial'],
  income: ['financial'],
  'financial credentials': ['financial', 'credentials'],
  'credit card': ['payment-card'],
  'card data': ['payment-card'],
  'payment card': ['payment-card'],
  health: ['health'],
  medical: ['health'],
  'health records': ['health'],
  phi: ['health'],
  biometric: ['biometric'],
  biometrics: ['biometric'],
  genetic: ['genetic'],
  children: ['children'],
  "children's data": ['children'],
  minors: ['children'],
  passport: ['government-id'],
  ssn: ['government-id'],
  'social security number': ['government-id'],
  aadhaar: ['government-id'],
  pan: ['government-id'],
  nino: ['government-id'],
  'national insurance number': ['government-id'],
  'national id': ['government-id'],
  "driver's license": ['government-id'],
  'driving licence': ['government-id'],
  'government id': ['government-id'],
  password: ['credentials'],
  passwords: ['credentials'],
  credentials: ['credentials'],
  'login credentials': ['credentials'],
  'oauth tokens': ['credentials'],
  'special category': ['special-category'],
  religion: ['special-category'],
  ethnicity: ['special-category'],
  'sexual orientation': ['special-category'],
  'political opinions': ['special-category'],
  'trade union membership': ['special-category'],
  criminal: ['criminal'],
  'criminal records': ['criminal'],
  location: ['location'],
  geolocation: ['location'],
  employment: ['employment'],
  'employment data': ['employment'],
  hr: ['employment'],
  'purchase history': ['purchase-history'],
  communications: ['communications'],
  messages: ['communications'],
  public: ['public'],
  'publicly available': ['public'],
  'publicly available information': ['public'],
  anonymised: ['anonymised'],
  anonymized: ['anonymised'],
  'anonymized datasets': ['anonymised'],
};

/** Maps a code or free label to codes; undefined when the label is unknown (callers report it, never drop it). */
export function normaliseDataCategory(label: string): DataCategory[] | undefined {
  const key = label
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ');
  const asCode = DataCategoryEnum.safeParse(key.replace(/ /g, '-'));
  if (asCode.success) return [asCode.data];
  return LABELS[key];
}

export interface NormalisedCategories {
  categories: DataCategory[];
  unknown: string[];
}

export function normaliseDataCategories(labels: readonly string[]): NormalisedCategories {
  const categories = new Set<DataCategory>();
  const unknown: string[] = [];
  for (const label of labels) {
    const codes = normaliseDataCategory(label);
    if (codes) codes.forEach((c) => categories.add(c));
    else unknown.push(label);
  }
  return { categories: [...categories], unknown };
}
