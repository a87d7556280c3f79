import { describe, expect, it } from "vitest";
import { describeFreshness, judgeFreshness, type NamespaceFreshness } from "./freshness";

const WINDOW = 15 * 60_000;
const completedEndMs = Date.parse("2027-02-01T10:00:00Z");
const options = { completedEndMs, windowMs: WINDOW, staleAfterMs: 45 * 60_000 };

describe("judgeFreshness", () => {
  it("gives the end of the newest window and of the newest window with errors", () => {
    const [payments] = judgeFreshness([{ namespace: "payments", latestStart: completedEndMs - WINDOW, lastErrorStart: completedEndMs - 3 * WINDOW }], options);
    expect(payments).toEqual({ namespace: "payments", dataUntil: "2027-02-01T10:00:00.000Z", lastErrorUntil: "2027-02-01T09:30:00.000Z", isBehind: false });
  });

  it("is behind only when the data ends further back than a source may be, not at the limit", () => {
    const [atLimit, past] = judgeFreshness(
      [
        { namespace: "at-limit", latestStart: completedEndMs - 45 * 60_000 - WINDOW, lastErrorStart: null },
        { namespace: "past", latestStart: completedEndMs - 46 * 60_000 - WINDOW, lastErrorStart: null },
      ],
      options,
    );
    expect(atLimit!.isBehind).toBe(false);
    expect(past!.isBehind).toBe(true);
  });

  it("counts a namespace with no stored window as behind, with no error", () => {
    expect(judgeFreshness([{ namespace: "gone", latestStart: null, lastErrorStart: null }], options)).toEqual([
      { namespace: "gone", dataUntil: null, lastErrorUntil: null, isBehind: true },
    ]);
  });
});

describe("describeFreshness", () => {
  const now = Date.parse("2027-02-01T10:07:00Z");
  const fresh: NamespaceFreshness = {
    namespace: "payments",
    dataUntil: "2027-02-01T10:00:00.000Z",
    lastErrorUntil: "2027-02-01T10:04:00.000Z",
    isBehind: false,
  };

  it("says when the last error was, relative to now", () => {
    expect(describeFreshness(fresh, now, "UTC")).toEqual({ lastError: "last error 3 min ago", behind: null });
    expect(describeFreshness({ ...fresh, lastErrorUntil: "2027-02-01T07:00:00.000Z" }, now, "UTC").lastError).toBe("last error 3 h ago");
    expect(describeFreshness({ ...fresh, lastErrorUntil: null }, now, "UTC").lastError).toBe("no error stored");
  });

  it("says since when there is no data, in the configured timezone, when a namespace is behind", () => {
    const behind = { ...fresh, dataUntil: "2027-02-01T02:00:00.000Z", lastErrorUntil: "2027-02-01T01:45:00.000Z", isBehind: true };
    expect(describeFreshness(behind, now, "UTC")).toEqual({ lastError: "last error 8 h ago", behind: "no data since 02:00" });
    expect(describeFreshness(behind, now, "Europe/Prague").behind).toBe("no data since 03:00");
    expect(describeFreshness({ ...behind, dataUntil: "2027-01-30T02:00:00.000Z" }, now, "UTC").behind).toBe("no data since 30 Jan, 02:00");
  });

  it("says a namespace without windows has none stored", () => {
    expect(describeFreshness(undefined, now, "UTC")).toEqual({ lastError: "no error stored", behind: "no data stored" });
    expect(describeFreshness({ namespace: "gone", dataUntil: null, lastErrorUntil: null, isBehind: true }, now, "UTC")).toEqual({
      lastError: "no error stored",
      behind: "no data stored",
    });
  });
});
