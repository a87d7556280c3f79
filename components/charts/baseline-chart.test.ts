import { describe, expect, it } from "vitest";
import { markerLabelPlace } from "./baseline-chart";

describe("markerLabelPlace", () => {
  const plot = { x: 50, width: 300 };
  const text = "New normal +80/window"; // 21 characters, about 147 px

  it("writes the label right of its line where it fits", () => {
    expect(markerLabelPlace(100, text, plot)).toEqual({ x: 105, anchor: "start" });
  });

  it("writes it left of the line near the plot's right edge", () => {
    expect(markerLabelPlace(320, text, plot)).toEqual({ x: 315, anchor: "end" });
  });

  it("keeps it inside a plot too narrow for either side, across the line", () => {
    expect(markerLabelPlace(190, `${text}, taken back`, { x: 50, width: 250 })).toEqual({ x: 69, anchor: "start" });
    expect(markerLabelPlace(190, `${text}, taken back`, { x: 50, width: 200 })).toEqual({ x: 52, anchor: "start" });
  });
});
