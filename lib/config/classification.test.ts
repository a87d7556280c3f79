import path from "node:path";
import { describe, expect, it } from "vitest";
import { createClassifier, UNKNOWN_ERROR_TYPE } from "@/lib/pipeline/classify";
import { loadConfig } from "./index";

const classify = createClassifier(loadConfig(path.resolve("values.yaml")).classification.rules);

describe("the classification rules of values.yaml", () => {
  it.each([
    ["java.lang.OutOfMemoryError: Java heap space", "out_of_memory"],
    ["Container payments-api was OOMKilled", "out_of_memory"],
    ["feign.RetryableException: Read timed out executing GET http://orders/api", "timeout"],
    ["context deadline exceeded", "timeout"],
    ["dial tcp 10.0.3.7:5432: connect: connection refused", "connection"],
    ["Error: connect ECONNREFUSED 10.0.0.1:6379", "connection"],
    ["org.postgresql.util.PSQLException: ERROR: deadlock detected", "database"],
    ['duplicate key value violates unique constraint "orders_pkey"', "database"],
    ["JWT validation failed: invalid token", "auth"],
    ["Request failed with status code 403", "auth"],
    ['java.lang.NullPointerException: Cannot invoke "Order.getId()" because "order" is null', "null_pointer"],
    ["TypeError: Cannot read properties of undefined (reading 'id')", "null_pointer"],
    ["AxiosError: Request failed with status code 503", "http_5xx"],
    ["upstream returned 502 Bad Gateway", "http_5xx"],
    ["GET /api/orders/17 returned 404 Not Found", "http_4xx"],
    ["ValidationError: amount must be positive", "validation"],
    ["javax.net.ssl.SSLHandshakeException: PKIX path validation failed", "tls"],
    ["pq: sorry, too many clients already", "overload"],
    ["smtplib.SMTPDataError: (451, 'Try again later')", "overload"],
    ["Something odd happened", UNKNOWN_ERROR_TYPE],
  ])("%s → %s", (message, type) => {
    expect(classify(message)).toBe(type);
  });

  it("tries the rules in order: a timeout talking to the database is a timeout", () => {
    expect(classify("database query timed out after 30s")).toBe("timeout");
  });
});
