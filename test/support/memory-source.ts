// A log source over documents a test writes, read as the real sources are: window by window
// (windows of `windowMs` from the epoch), each window's earliest documents first, at most
// `maxPerWindow` of them, with the window's full count as its total. Counting is refused: tests
// that use it store their peaks themselves.
import type { LogDocument, LogSource } from "@/lib/pipeline/log-document";

export function memorySource(documents: readonly LogDocument[], windowMs: number): LogSource {
  return {
    kind: "memory",
    description: "documents written by the test",
    listInputs: () => Promise.resolve([]),
    countWindows: () => Promise.reject(new Error("not needed: the peaks are stored by the test")),
    readDocuments: async (query, onWindow) => {
      const byWindow = new Map<number, LogDocument[]>();
      for (const document of documents) {
        if (document.timestamp < query.range.fromMs || document.timestamp >= query.range.toMs) continue;
        if (query.namespace !== undefined && document.namespace !== query.namespace) continue;
        const start = document.timestamp - (document.timestamp % windowMs);
        const list = byWindow.get(start);
        if (list) list.push(document);
        else byWindow.set(start, [document]);
      }
      let read = 0;
      let total = 0;
      for (const [windowStart, list] of [...byWindow].sort((left, right) => left[0] - right[0])) {
        const sorted = [...list].sort((left, right) => left.timestamp - right.timestamp);
        const documentsRead = sorted.slice(0, query.maxPerWindow);
        read += documentsRead.length;
        total += sorted.length;
        await onWindow({ windowStart, documents: documentsRead, total: sorted.length });
      }
      return { windows: byWindow.size, read, total };
    },
    close: () => Promise.resolve(),
  };
}
