// Small statistics shared by the benchmarks.

/** The median of a list of numbers (the upper one of the two middle values for an even count). */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
