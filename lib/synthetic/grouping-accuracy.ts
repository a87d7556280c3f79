/** How well predicted groups reproduce labelled ones (the measures of log-parsing benchmarks). */

export type GroupingScore = {
  messages: number;
  expectedGroups: number;
  predictedGroups: number;
  /** Share of messages whose predicted group holds exactly the messages of their labelled group. */
  groupingAccuracy: number;
  /** Of the pairs put together, the share that belong together. */
  pairPrecision: number;
  /** Of the pairs that belong together, the share put together. */
  pairRecall: number;
  pairF1: number;
};

const pairs = (size: number) => (size * (size - 1)) / 2;

/** Scores predicted group labels against expected ones (two arrays of the same length, one label per message). */
export function scoreGrouping(expected: readonly string[], predicted: readonly string[]): GroupingScore {
  if (expected.length !== predicted.length) throw new RangeError(`expected ${expected.length} labels, got ${predicted.length}`);
  const membersOf = (labels: readonly string[]) => {
    const groups = new Map<string, number[]>();
    labels.forEach((label, index) => {
      const members = groups.get(label);
      if (members) members.push(index);
      else groups.set(label, [index]);
    });
    return groups;
  };
  const expectedGroups = membersOf(expected);
  const predictedGroups = membersOf(predicted);

  let correct = 0;
  for (const members of predictedGroups.values()) {
    const label = expected[members[0]!]!;
    if (members.every((index) => expected[index] === label) && expectedGroups.get(label)!.length === members.length) correct += members.length;
  }

  const together = new Map<string, number>();
  for (let index = 0; index < expected.length; index += 1) {
    const key = `${expected[index]}\u0000${predicted[index]}`;
    together.set(key, (together.get(key) ?? 0) + 1);
  }
  let truePairs = 0;
  for (const size of together.values()) truePairs += pairs(size);
  let predictedPairs = 0;
  for (const members of predictedGroups.values()) predictedPairs += pairs(members.length);
  let expectedPairs = 0;
  for (const members of expectedGroups.values()) expectedPairs += pairs(members.length);
  const pairPrecision = predictedPairs === 0 ? 1 : truePairs / predictedPairs;
  const pairRecall = expectedPairs === 0 ? 1 : truePairs / expectedPairs;
  return {
    messages: expected.length,
    expectedGroups: expectedGroups.size,
    predictedGroups: predictedGroups.size,
    groupingAccuracy: expected.length === 0 ? 1 : correct / expected.length,
    pairPrecision,
    pairRecall,
    pairF1: pairPrecision + pairRecall === 0 ? 0 : (2 * pairPrecision * pairRecall) / (pairPrecision + pairRecall),
  };
}
