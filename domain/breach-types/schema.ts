import { z } from 'zod';

export const breachTypeInputSchema = z.object({
  name: z.string().trim().min(1, 'required').max(120),
  description: z.string().trim().max(2000).default(''),
});
export type BreachTypeInput = z.infer<typeof breachTypeInputSchema>;

export interface BreachType {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  /** Set while a delete is in progress; new incidents may not use it then. */
  deletingAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}
