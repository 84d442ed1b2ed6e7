import { ConflictError } from '../shared/errors';
import type { BreachType } from './schema';

/** The seed's built-in types carry what triage reads (cause and nature of a breach): they are renamed, never deleted. */
export function assertDeletable(type: BreachType): void {
  if (type.builtIn) {
    throw new ConflictError(
      `Breach type ${type.id} is built in: triage reads its cause and nature, so it can be renamed or described but not deleted`,
      { builtIn: true },
    );
  }
}
