import { errors, type Client } from "@elastic/elasticsearch";
import { isCertificateProblem } from "./failures";

/**
 * Whether the cluster answers `HEAD /` within `timeoutMs`: null when it does, else a short
 * reason. The reason names no host, user or index, as it is shown to callers without a session;
 * the caller logs the error itself for operators.
 */
export async function pingElasticsearch(client: Client, timeoutMs: number): Promise<{ reason: string; error: unknown } | null> {
  try {
    const answered = await client.ping(undefined, { requestTimeout: timeoutMs, maxRetries: 0 });
    return answered ? null : { reason: "Elasticsearch answered 404 to a ping: ES_URL does not point at a cluster", error: null };
  } catch (error) {
    return { reason: pingFailureReason(error, timeoutMs), error };
  }
}

function pingFailureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof errors.TimeoutError) return `Elasticsearch did not answer within ${timeoutMs / 1000} s`;
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    if (status === 401) return "Elasticsearch refused the credentials (401): check ES_API_KEY or ES_USERNAME and ES_PASSWORD";
    if (status === 403) return "Elasticsearch denied access (403)";
    return `Elasticsearch answered ${status}`;
  }
  if (error instanceof errors.ConnectionError && isCertificateProblem(error)) {
    return "Elasticsearch's TLS certificate is not trusted: check ES_CA_CERT";
  }
  if (error instanceof errors.ProductNotSupportedError) return "the server at ES_URL is not a supported Elasticsearch";
  return "Elasticsearch is unreachable";
}
