/** Facts for every placeholder a draft reported missing, e.g. `dpo.email` → { dpo: { email: … } }. */
export function factsFor(missing: string[]): Record<string, any> {
  const facts: Record<string, any> = {};
  for (const path of missing) {
    const parts = path.split('.');
    let node = facts;
    for (const part of parts.slice(0, -1)) node = node[part] ??= {};
    node[parts.at(-1)!] = `value of ${path}`;
  }
  return facts;
}
