import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FormActions } from "./form-actions";

describe("FormActions", () => {
  it("renders the submit button and Cancel in the row's class", () => {
    expect(renderToStaticMarkup(<FormActions className="ki-actions" submitLabel="Save" pendingLabel="Saving…" onCancel={() => undefined} />)).toBe(
      '<div class="ki-actions"><button class="button" type="submit">Save</button><button class="button button-secondary" type="button">Cancel</button></div>',
    );
  });

  it("has no Cancel without onCancel", () => {
    expect(renderToStaticMarkup(<FormActions submitLabel="Add note" />)).toBe('<div><button class="button" type="submit">Add note</button></div>');
  });

  it("says it is sending and turns the submit button off while pending; Cancel stays on unless locked", () => {
    expect(renderToStaticMarkup(<FormActions submitLabel="Save" pendingLabel="Saving…" isPending onCancel={() => undefined} />)).toBe(
      '<div><button class="button" type="submit" disabled="">Saving…</button><button class="button button-secondary" type="button">Cancel</button></div>',
    );
    expect(
      renderToStaticMarkup(<FormActions submitLabel="Save" pendingLabel="Saving…" isPending isCancelLockedWhilePending onCancel={() => undefined} />),
    ).toContain('<button class="button button-secondary" type="button" disabled="">Cancel</button>');
  });

  it("turns the submit button off for another reason", () => {
    expect(renderToStaticMarkup(<FormActions submitLabel="Attach" isDisabled />)).toBe(
      '<div><button class="button" type="submit" disabled="">Attach</button></div>',
    );
  });
});
