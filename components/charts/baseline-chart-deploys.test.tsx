import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BaselineChart } from "./baseline-chart";

const T0 = Date.parse("2026-03-02T09:00:00Z");
const HOUR = 3_600_000;

const chart = (deploys: { version: string; at: number }[]) =>
  renderToStaticMarkup(
    <BaselineChart points={[]} peaks={[]} deploys={deploys} from={T0} to={T0 + 24 * HOUR} bucketMinutes={15} timeZone="Europe/Prague" label="Errors of shop" />,
  );

describe("BaselineChart's deploy markers in text", () => {
  it("names deploys in the legend and lists each version's first error seen under the chart", () => {
    const html = chart([
      { version: "1.5.0", at: T0 + 2 * HOUR },
      { version: "1.5.1", at: T0 + 5 * HOUR },
    ]);
    expect(html).toContain("Deploy: a version&#x27;s first error seen");
    expect(html).toContain("Deploys in this range (2 versions)");
    expect(html).toContain("<li>2 Mar 2026, 12:00: 1.5.0 first seen</li><li>2 Mar 2026, 15:00: 1.5.1 first seen</li>");
  });

  it("says nothing of deploys without any", () => {
    expect(chart([])).not.toMatch(/Deploy/);
  });
});
