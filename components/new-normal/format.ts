const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/**
 * An accepted level change in errors per window, always signed ("+80", "−3.5", "+0.04"): whole
 * from 10 up, one decimal below, two when one would round a real change to "0". The minus is
 * U+2212, as elsewhere on the dashboard.
 */
export function formatLevelOffset(value: number): string {
  const size = Math.abs(value);
  const text = size >= 10 ? whole.format(size) : oneDecimal.format(size) !== "0" ? oneDecimal.format(size) : twoDecimals.format(size);
  if (text === "0") return "±0";
  return `${value < 0 ? "−" : "+"}${text}`;
}

/** How a level compares with the baseline, to follow "runs": "about +80 errors a window above its baseline". */
export function describeLevelOffset(value: number): string {
  const amount = formatLevelOffset(value);
  if (amount === "±0") return "at its baseline, with no measurable change";
  return `about ${amount} ${amount === "+1" || amount === "−1" ? "error" : "errors"} a window ${value < 0 ? "below" : "above"} its baseline`;
}

/** The chart marker's text: "New normal +80/window", with ", taken back" once it was. */
export function newNormalMarkerText(levelOffset: number, isTakenBack: boolean): string {
  return `New normal ${formatLevelOffset(levelOffset)}/window${isTakenBack ? ", taken back" : ""}`;
}
