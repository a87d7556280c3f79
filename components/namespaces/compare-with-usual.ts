/** How a namespace's errors compare with what its baseline expects. */
export type UsualComparison = {
  tone: "above" | "below" | "usual" | "unknown";
  /** A sign that carries the comparison without colour: ▲ above, ▼ below, ≈ usual. */
  symbol: string;
  text: string;
};

// Within this band around the expectation a day's total is ordinary noise, not worth a cue.
const ABOVE_RATIO = 1.25;
const BELOW_RATIO = 0.8;

/** Errors of the stored windows against the baseline's expectation for them (null: no history yet). */
export function compareWithUsual({ errors, windows, expected }: { errors: number; windows: number; expected: number | null }): UsualComparison {
  if (windows === 0) return { tone: "unknown", symbol: "–", text: "no data stored" };
  if (expected === null) return { tone: "unknown", symbol: "–", text: "no baseline yet" };
  if (expected < 0.5) {
    return errors === 0 ? { tone: "usual", symbol: "≈", text: "as usual (none)" } : { tone: "above", symbol: "▲", text: "above usual (none expected)" };
  }
  const ratio = errors / expected;
  if (ratio >= 2) return { tone: "above", symbol: "▲", text: `${ratio.toFixed(1)} × usual` };
  if (ratio >= ABOVE_RATIO) return { tone: "above", symbol: "▲", text: `${Math.round((ratio - 1) * 100)}% above usual` };
  if (ratio <= BELOW_RATIO) return { tone: "below", symbol: "▼", text: `${Math.round((1 - ratio) * 100)}% below usual` };
  return { tone: "usual", symbol: "≈", text: "about usual" };
}
