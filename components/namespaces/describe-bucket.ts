/** "45 min", "4 h", "4 h 30 min": a length of whole minutes. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours >= 48 && rest === 0 && hours % 24 === 0) return `${hours / 24} days`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** What one point of a downsampled chart is, in words. */
export function describeBucket(windowMinutes: number, bucketMinutes: number): string {
  return bucketMinutes <= windowMinutes
    ? `Each point is one ${windowMinutes}-minute window.`
    : `Each point is the busiest ${windowMinutes}-minute window of ${formatMinutes(bucketMinutes)}.`;
}
