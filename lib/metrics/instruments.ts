import { collectDefaultMetrics, Counter, Registry } from "prom-client";

// The figures a process counts as it works and that the database does not hold: requests to
// Elasticsearch, and the process itself (memory, CPU, event loop). One registry per process,
// kept across development reloads like the database handle.

type Instruments = {
  registry: Registry;
  elasticsearchRequests: Counter<"outcome">;
  elasticsearchRetries: Counter;
};

const cache = globalThis as unknown as { peaksInstruments?: Instruments };

function createInstruments(): Instruments {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "peaks_" });
  return {
    registry,
    elasticsearchRequests: new Counter({
      name: "peaks_elasticsearch_requests_total",
      help: "Requests this process sent to Elasticsearch, by outcome (ok: answered 2xx or a HEAD 404; error: refused, failed or timed out).",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    elasticsearchRetries: new Counter({
      name: "peaks_elasticsearch_retries_total",
      help: "Elasticsearch reads this process tried again after a transient failure.",
      registers: [registry],
    }),
  };
}

/** This process's instruments. */
export function instruments(): Instruments {
  cache.peaksInstruments ??= createInstruments();
  return cache.peaksInstruments;
}
