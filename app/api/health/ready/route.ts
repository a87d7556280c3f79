import { checkReadiness, sharedReadiness } from "@/lib/health/readiness";
import { readinessDependencies } from "@/lib/services/web";

export const dynamic = "force-dynamic";

/** A probe every second at most reaches the database and Elasticsearch, however many ask. */
const READINESS_REUSE_MS = 1_000;
const readiness = sharedReadiness((now) => checkReadiness(readinessDependencies(now)), READINESS_REUSE_MS);

/** Readiness for load balancers and orchestrators (no session): 200 when the server can work, 503 with the reason when not. */
export async function GET() {
  const answer = await readiness();
  return Response.json(answer, { status: answer.status === "ready" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
