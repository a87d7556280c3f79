import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/current-actor";
import { hasRole } from "@/lib/roles";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { DEFAULT_SERIES_POINTS, MAX_SERIES_DAYS, type NamespaceSeries } from "@/lib/namespaces/contract";
import { readNamespaceSeries } from "@/lib/namespaces/series";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { seriesContext } from "@/lib/http/series-context";
import { NamespaceClient } from "./client";
import { decodeNamespaceSegment, parseNamespace, type NamespacePathParams } from "./path-params";
import { parseNamespaceSearch, rangeKey, resolveRange, type NamespaceSearch } from "./search-params";
import "../namespaces.css";
import "../../completeness.css";

export const dynamic = "force-dynamic";

type Props = { params: NamespacePathParams; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeNamespaceSegment((await params).namespace) };
}

function rangeOf(search: NamespaceSearch): { from: string; to: string } {
  const { from, to } = resolveRange(search, Date.now());
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

export default async function NamespacePage({ params, searchParams }: Props) {
  const namespace = await parseNamespace(params);
  const search = parseNamespaceSearch(await searchParams);
  const config = getConfig();
  const actor = await currentActor();
  let initialSeries: NamespaceSeries | null = null;
  try {
    initialSeries = await readNamespaceSeries(
      await getDatabase(),
      actor,
      { namespace, ...rangeOf(search), points: DEFAULT_SERIES_POINTS },
      seriesContext(config),
    );
  } catch (error) {
    // Gone since layout.tsx looked: too late for a 404 status, but the page says so.
    if (error instanceof NotFoundError) notFound();
    // A range the API refuses (too long, reversed) is shown by the page with the API's message.
    if (!(error instanceof InvalidInputError)) throw error;
  }
  return (
    <NamespaceClient
      namespace={namespace}
      initialSeries={initialSeries}
      initialKey={rangeKey(search)}
      timeZone={config.timezone}
      points={DEFAULT_SERIES_POINTS}
      maxDays={MAX_SERIES_DAYS}
      canEdit={actor !== null && hasRole(actor.role, "analyst")}
    />
  );
}
