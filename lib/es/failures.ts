import { errors } from "@elastic/elasticsearch";
import { AppError, ConfigurationError, UnavailableError } from "@/lib/errors";
import type { RetryVerdict } from "@/lib/retry";

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

type ErrorCause = { type?: string; reason?: string; caused_by?: ErrorCause };
type ErrorBody = { error?: (ErrorCause & { root_cause?: ErrorCause[] }) | string };

function errorBody(error: errors.ResponseError): ErrorBody {
  const body: unknown = error.body;
  return body !== null && typeof body === "object" ? (body as ErrorBody) : {};
}

/** Elasticsearch's own explanation of a refused request, one line. */
function reasonOf(error: errors.ResponseError): string {
  const body = errorBody(error);
  if (typeof body.error === "string") return body.error;
  const reason = body.error?.root_cause?.[0]?.reason ?? body.error?.reason;
  const type = body.error?.type;
  return [type, reason].filter(Boolean).join(": ") || `HTTP ${error.statusCode ?? "error"}`;
}

function retryAfterMs(error: errors.ResponseError): number | undefined {
  const header = error.headers?.["retry-after"];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Every error type a response names: its own, its root causes' and its chain of causes. */
function errorTypesOf(error: unknown): Set<string> {
  const types = new Set<string>();
  if (!(error instanceof errors.ResponseError)) return types;
  const body = errorBody(error);
  if (typeof body.error !== "object") return types;
  for (const cause of [body.error, ...(body.error.root_cause ?? [])]) {
    for (let link: ErrorCause | undefined = cause; link; link = link.caused_by) if (link.type) types.add(link.type);
  }
  return types;
}

/**
 * A PIT that expired or was freed: the read must start again with a new one. Elasticsearch
 * answers 404 with search_context_missing_exception as the root cause, wrapped in a
 * search_phase_execution_exception.
 */
export function isPointInTimeGone(error: unknown): boolean {
  return errorTypesOf(error).has("search_context_missing_exception");
}

/** Transient failures are worth another try: overload (429), server errors, timeouts, broken connections. */
export function classifyFailure(error: unknown): RetryVerdict {
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    if (!RETRYABLE_STATUS.has(status)) return { retry: false };
    const notBeforeMs = status === 429 ? retryAfterMs(error) : undefined;
    return notBeforeMs === undefined ? { retry: true } : { retry: true, notBeforeMs };
  }
  if (error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError) return { retry: true };
  // A connection dropped midway shows as a connection error, or as a body that cannot be parsed.
  if (error instanceof errors.ConnectionError || error instanceof errors.DeserializationError) {
    return isCertificateProblem(error) ? { retry: false } : { retry: true };
  }
  return { retry: false };
}

export function isCertificateProblem(error: Error): boolean {
  return /certificate|self[- ]signed|CERT_|unable to verify/i.test(error.message);
}

/**
 * The user-facing error for a failure that retries did not cure. `place` names the server and
 * index; `what` says which read failed, including its range.
 */
export function describeFailure(error: unknown, place: string, what: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const types = errorTypesOf(error);
    if (status === 401) {
      return new ConfigurationError(
        `Elasticsearch at ${place} refused the credentials (401: ${reasonOf(error)}). Check ES_API_KEY or ES_USERNAME and ES_PASSWORD. Could not ${what}.`,
      );
    }
    if (status === 403) {
      return new ConfigurationError(
        `Elasticsearch at ${place} denied access (403: ${reasonOf(error)}). The user needs the "read" and "view_index_metadata" privileges on the index pattern. Could not ${what}.`,
      );
    }
    if (types.has("index_not_found_exception")) {
      return new ConfigurationError(`No index matches at ${place} (${reasonOf(error)}). Check source.index_pattern in values.yaml. Could not ${what}.`);
    }
    if (types.has("media_type_header_exception")) {
      return new ConfigurationError(`The server at ${place} does not accept version 8 requests: Elasticsearch 8.x and 9.x are supported. Could not ${what}.`);
    }
    if (status === 400) {
      return new ConfigurationError(
        `Elasticsearch at ${place} rejected the query (400: ${reasonOf(error)}). Check source.fields in values.yaml against the index mapping. Could not ${what}.`,
      );
    }
    return new UnavailableError(`Could not ${what}: Elasticsearch at ${place} answered ${status} (${reasonOf(error)}).`);
  }
  if (error instanceof errors.ProductNotSupportedError) {
    return new ConfigurationError(`The server at ${place} is not Elasticsearch (or an unsupported distribution): ${error.message}. Could not ${what}.`);
  }
  if (error instanceof errors.ConnectionError && isCertificateProblem(error)) {
    return new ConfigurationError(
      `The TLS certificate of ${place} is not trusted (${error.message}). Set ES_CA_CERT to the cluster's CA certificate. Could not ${what}.`,
    );
  }
  if (error instanceof errors.TimeoutError) {
    return new UnavailableError(`Could not ${what}: Elasticsearch at ${place} did not answer in time (ES_REQUEST_TIMEOUT_MS).`);
  }
  if (error instanceof errors.ElasticsearchClientError) {
    return new UnavailableError(`Could not ${what}: Elasticsearch at ${place} is unreachable or cut the connection (${error.message}).`);
  }
  return new UnavailableError(`Could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
}
