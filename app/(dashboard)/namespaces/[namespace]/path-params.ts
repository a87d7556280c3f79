import { notFound } from "next/navigation";
import { namespaceNameSchema } from "@/lib/namespaces/contract";

/** What Next.js passes the layout and the page of /namespaces/[namespace]. */
export type NamespacePathParams = Promise<{ namespace: string }>;

/** The path segment as text, undecodable escapes kept as sent. */
export function decodeNamespaceSegment(segment: string): string {
  // Pages may get the segment still percent-encoded (route handlers get it decoded); Kubernetes
  // namespace names never contain "%", so decoding once is safe for them either way.
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The namespace of the path; a name no namespace can have (blank, over 200 characters) is not found, as an unknown one is. */
export async function parseNamespace(params: NamespacePathParams): Promise<string> {
  const namespace = namespaceNameSchema.safeParse(decodeNamespaceSegment((await params).namespace));
  if (!namespace.success) notFound();
  return namespace.data;
}
