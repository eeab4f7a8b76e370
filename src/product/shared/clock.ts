/** The only place that reads the current time; everything else receives a Clock. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };
