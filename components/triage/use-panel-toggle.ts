"use client";

import { useRef, useState } from "react";

/** The id of a panel's section, which its button controls: `panel-known-issue` for `known_issue`. */
export function panelId(which: string): string {
  return `panel-${which.replace("_", "-")}`;
}

/**
 * The inline panels of an action bar, one open at a time: a button opens its panel or closes it
 * again, and closing gives focus back to the button that opened it.
 */
export function usePanelToggle<Panel extends string>() {
  const [panel, setPanel] = useState<Panel | null>(null);
  const openers = useRef<Partial<Record<Panel, HTMLButtonElement | null>>>({});
  const close = () => {
    const opener = panel ? openers.current[panel] : null;
    setPanel(null);
    opener?.focus();
  };
  return {
    panel,
    close,
    /** After an action is done: the notice that follows takes the focus. */
    closeAfterAction: () => setPanel(null),
    toggle: (which: Panel) => (panel === which ? close() : setPanel(which)),
    /** Keeps the button that opens `which`, to give it focus back. */
    opener: (which: Panel) => (element: HTMLButtonElement | null) => {
      openers.current[which] = element;
    },
  };
}

export type PanelToggle<Panel extends string> = ReturnType<typeof usePanelToggle<Panel>>;
