/**
 * Progress for long commands: a redrawn bar with rate and ETA on a terminal, a plain line per
 * step otherwise (logs and CI). Output goes to standard error, so standard output stays clean.
 */
export type Progress = { setTotal: (total: number) => void; tick: (label?: string) => void; done: () => void };

export function createProgress(verb: string, unit: string): Progress {
  const isTerminal = process.stderr.isTTY === true;
  const started = Date.now();
  let total = 0;
  let current = 0;
  const render = (label?: string) => {
    const elapsed = (Date.now() - started) / 1000;
    const rate = elapsed > 0 ? current / elapsed : 0;
    const eta = total > 0 && rate > 0 ? Math.max(0, (total - current) / rate) : null;
    const share = total > 0 ? current / total : 0;
    const summary = `${verb} ${current}${total ? `/${total}` : ""} ${unit}, ${rate.toFixed(1)}/s${eta !== null ? `, ETA ${Math.ceil(eta)} s` : ""}${label ? ` – ${label}` : ""}`;
    if (isTerminal) {
      const width = 24;
      const filled = Math.round(share * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${summary}\u001b[K`);
    } else {
      process.stderr.write(`${summary}\n`);
    }
  };
  return {
    setTotal: (value) => {
      total = value;
    },
    tick: (label) => {
      current += 1;
      render(label);
    },
    done: () => {
      if (isTerminal && current > 0) process.stderr.write("\n");
    },
  };
}
