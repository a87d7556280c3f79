export const dynamic = "force-dynamic";

/**
 * Liveness for load balancers and orchestrators (no session): the process answers. It checks
 * nothing else on purpose, so that a database outage does not get healthy servers restarted;
 * /api/health/ready says whether the server can work.
 */
export function GET() {
  return Response.json({ status: "ok", checkedAt: new Date().toISOString() }, { headers: { "Cache-Control": "no-store" } });
}
