import type { Role } from "@/lib/roles";

/** Accounts the end-to-end suite signs in with; created by start-server.ts before the server starts. */
export const e2eUsers = {
  admin: { email: "admin@e2e.test", password: "e2e-admin-password", role: "admin" },
  analyst: { email: "analyst@e2e.test", password: "e2e-analyst-password", role: "analyst" },
  viewer: { email: "viewer@e2e.test", password: "e2e-viewer-password", role: "viewer" },
  // Only used by the rate-limit test, so that locking it out does not disturb other tests.
  lockout: { email: "lockout@e2e.test", password: "e2e-lockout-password", role: "viewer" },
} as const satisfies Record<string, { email: string; password: string; role: Role }>;

/** E2E_PORT moves the suite (its SSO provider and second server take the next two ports), so that two checkouts can run it side by side. */
// eslint-disable-next-line no-restricted-properties -- the test suite's own port, read before any of the product's environment is loaded; not a setting of the product
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3311);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;

/** Port of the second server started from the same build, as a deployment runs it (e2e/standalone.api.spec.ts). */
export const E2E_STANDALONE_PORT = E2E_PORT + 2;

/** The e2e server's CRON_SECRET: scheduled-job routes answer `Authorization: Bearer <this>`. */
export const E2E_CRON_SECRET = "e2e-cron-secret-for-scheduled-jobs";

/** values.yaml's links.logs_url_template on the e2e server: a Kibana Discover URL with every placeholder. */
export const E2E_LOGS_URL_TEMPLATE =
  "https://kibana.e2e.test/app/discover#/?_g=(time:(from:'{from}',to:'{to}'))&_a=(query:(language:kuery,query:'kubernetes.namespace:{namespace}%20and%20trace.id:{trace_id}*'))";

/** Local days of generated sample logs the e2e server ingests; they end yesterday. */
export const E2E_SAMPLE_DAYS = 28;

/** The single sign-on provider the e2e server is configured with (a fake, started beside it). */
export const e2eOidc = {
  port: E2E_PORT + 1,
  clientId: "peaks-e2e",
  clientSecret: "e2e-oidc-client-secret",
  name: "Test SSO",
  user: { sub: "sso-user-1", email: "sso.user@e2e.test", name: "Sso User" },
} as const;
