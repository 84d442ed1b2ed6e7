/** The one way code outside the edge learns the time; tests and drills swap in a virtual clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
