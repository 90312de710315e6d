/** Returns the current time; stores take one so tests can pin time down. */
export type Clock = () => Date;

/** The real clock. */
export const systemClock: Clock = () => new Date();
