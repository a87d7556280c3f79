import type { Client } from "@elastic/elasticsearch";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { env } from "@/lib/env.js";
import { createElasticsearchClient } from "@/lib/es/client";
import type { ReadinessDependencies } from "@/lib/health/readiness";
import { getLogger } from "@/lib/log";
import { connectionsOf } from "./connections";
import { assembleServices, type Services } from "./index";

// The composition root of the web server: the scheduled-job routes and the runs started from
// the dashboard take their services from here; data routes and pages need only the database
// handle (getDatabase, the same one) and the configuration (getConfig, the same one).

const cache = globalThis as unknown as { peaksWebServices?: Promise<Services> };

/** The server's services, built once per process (cached across dev reloads like the database). */
export function webServices(): Promise<Services> {
  cache.peaksWebServices ??= getDatabase().then(
    (db) => assembleServices({ config: getConfig(), db, logger: getLogger(), connections: connectionsOf(env) }),
    (error: unknown) => {
      cache.peaksWebServices = undefined;
      throw error;
    },
  );
  return cache.peaksWebServices;
}

/** The services of the scheduled-job routes: the server's, logging as the scheduler's. */
export async function cronServices(): Promise<Services> {
  const services = await webServices();
  return { ...services, logger: services.logger.child({ process: "cron" }) };
}

let readinessClient: Client | undefined;

/** What the readiness route checks: the server's database and, when ES_URL is set, its Elasticsearch (one client per process). */
export function readinessDependencies(now: Date): ReadinessDependencies {
  const { elasticsearch } = connectionsOf(env);
  return {
    database: getDatabase,
    elasticsearch: elasticsearch === null ? null : () => (readinessClient ??= createElasticsearchClient(elasticsearch)),
    logger: getLogger(),
    now,
  };
}
