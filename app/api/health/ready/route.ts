import { checkReadiness } from "@/lib/health/readiness";
import { readinessDependencies } from "@/lib/services/web";

export const dynamic = "force-dynamic";

/** Readiness for load balancers and orchestrators (no session): 200 when the server can work, 503 with the reason when not. */
export async function GET() {
  const readiness = await checkReadiness(readinessDependencies(new Date()));
  return Response.json(readiness, { status: readiness.status === "ready" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
