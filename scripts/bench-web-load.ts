// The HTTP side of `npm run bench:web`: signing in like a browser, clients that request routes
// in a shuffled order, and the figures per route.
import type { Random } from "@/lib/synthetic/random";

/** A GET route of the dashboard; `path` picks the ids and namespaces of one request. */
export type RouteSpec = { name: string; path: (random: Random) => string };

export type Sample = { route: string; ms: number; bytes: number; status: number };

export type RouteFigures = {
  route: string;
  samples: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Median size of the answer's JSON (decompressed), bytes. */
  payloadBytes: number;
};

/** A session: the cookie header of a signed-in client. */
export type Session = { cookie: string };

function cookiesOf(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(";", 1)[0] ?? "";
    const separator = pair.indexOf("=");
    if (separator > 0) cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
  }
  return cookies;
}

const cookieHeader = (cookies: ReadonlyMap<string, string>) => [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");

/** Signs in through next-auth's credentials endpoint, as the login page does, and keeps the session cookie. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<Session> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  if (!csrf.ok) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = cookiesOf(csrf);
  const callback = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(cookies) },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    redirect: "manual",
  });
  await callback.arrayBuffer();
  for (const [name, value] of cookiesOf(callback)) cookies.set(name, value);
  if (![...cookies.keys()].some((name) => name.endsWith("next-auth.session-token"))) {
    throw new Error(`Signing in as ${email} gave no session (HTTP ${callback.status})`);
  }
  return { cookie: cookieHeader(cookies) };
}

/** One GET, timed from sending the request to the last byte of the answer. */
export async function timedGet(baseUrl: string, session: Session, route: string, path: string): Promise<{ sample: Sample; body: ArrayBuffer }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie: session.cookie, accept: "application/json" } });
  const body = await response.arrayBuffer();
  return { sample: { route, ms: performance.now() - started, bytes: body.byteLength, status: response.status }, body };
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = random.integer(0, index);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/**
 * Every client requests every route once per round, in its own shuffled order, one request at
 * a time; the clients run at the same time. Returns the samples and the wall time.
 */
export async function runRounds(options: {
  baseUrl: string;
  sessions: readonly Session[];
  routes: readonly RouteSpec[];
  rounds: number;
  randomOf: (client: number) => Random;
  onRound?: (client: number, round: number) => void;
}): Promise<{ samples: Sample[]; wallMs: number }> {
  const samples: Sample[] = [];
  const started = performance.now();
  await Promise.all(
    options.sessions.map(async (session, client) => {
      const random = options.randomOf(client);
      for (let round = 0; round < options.rounds; round += 1) {
        for (const route of shuffled(options.routes, random)) {
          samples.push((await timedGet(options.baseUrl, session, route.name, route.path(random))).sample);
        }
        options.onRound?.(client, round);
      }
    }),
  );
  return { samples, wallMs: performance.now() - started };
}

/** The value below which `share` of the sorted values lie (nearest rank). */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}

/** Figures per route, in the order of `routes`; a non-200 answer counts as an error and its time still counts. */
export function figuresOf(samples: readonly Sample[], routes: readonly string[]): RouteFigures[] {
  return routes.map((route) => {
    const own = samples.filter((sample) => sample.route === route);
    const times = own.map((sample) => sample.ms).sort((left, right) => left - right);
    const sizes = own.map((sample) => sample.bytes).sort((left, right) => left - right);
    return {
      route,
      samples: own.length,
      errors: own.filter((sample) => sample.status !== 200).length,
      p50Ms: percentile(times, 0.5),
      p95Ms: percentile(times, 0.95),
      maxMs: times.at(-1) ?? Number.NaN,
      payloadBytes: percentile(sizes, 0.5),
    };
  });
}
