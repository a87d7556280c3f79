import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { currentActor } from "@/app/current-actor";
import { getDatabase } from "@/lib/db/client";
import { hasNamespace } from "@/lib/namespaces/series";
import { parseNamespace, type NamespacePathParams } from "./path-params";

/**
 * Decides "no such namespace" before anything streams. loading.tsx beside it wraps only the page,
 * and a notFound() inside a boundary that already sent its skeleton leaves the status at 200. The
 * not-found page is namespaces/not-found.tsx: a segment's own not-found boundary sits inside its
 * layout.
 */
export default async function NamespaceLayout({ children, params }: { children: ReactNode; params: NamespacePathParams }) {
  const namespace = await parseNamespace(params);
  if (!(await hasNamespace(await getDatabase(), await currentActor(), namespace))) notFound();
  return children;
}
