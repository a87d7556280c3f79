import http from "node:http";
import type { AddressInfo } from "node:net";

export type StubRequest = {
  method: string;
  /** Path and query, as sent (`/v1/chat/completions?x=1`). */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body parsed as JSON; the raw text when it is not JSON; null when empty. */
  body: unknown;
  /** The body exactly as received. */
  text: string;
};
/**
 * How the stub answers one request; `never` keeps it waiting before the headers, `hangsInBody`
 * sends the status, headers and body but never ends the response (the client's timeout decides).
 */
export type StubAnswer = { status: number; headers?: Record<string, string>; json?: unknown; text?: string; delayMs?: number; hangsInBody?: true } | "never";

export type HttpStub = {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  /** Every request since the last `answerWith`, in arrival order. */
  requests: StubRequest[];
  /** Requests being answered at once, now and at most since the last `answerWith`. */
  concurrency: { current: number; highest: number };
  /** Scripts the next answers in order; the last one repeats. Clears `requests` and `concurrency.highest`. */
  answerWith: (answers: readonly (StubAnswer | ((request: StubRequest) => StubAnswer))[]) => void;
  close: () => Promise<void>;
};

/**
 * A real HTTP server on 127.0.0.1 standing in for a webhook or an API (Teams, an AI endpoint):
 * real sockets, real status codes, real timeouts, scripted per request.
 */
export async function startHttpStub(port = 0): Promise<HttpStub> {
  let answers: readonly (StubAnswer | ((request: StubRequest) => StubAnswer))[] = [{ status: 200, json: {} }];
  let answered = 0;
  const requests: StubRequest[] = [];
  const concurrency = { current: 0, highest: 0 };
  const server = http.createServer((request, response) => {
    concurrency.current += 1;
    concurrency.highest = Math.max(concurrency.highest, concurrency.current);
    response.on("close", () => (concurrency.current -= 1));
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = text === "" ? null : JSON.parse(text);
      } catch {
        // Kept as text: the test decides whether that is wrong.
      }
      const recorded: StubRequest = { method: request.method ?? "", path: request.url ?? "", headers: request.headers, body, text };
      requests.push(recorded);
      const scripted = answers[Math.min(answered, answers.length - 1)]!;
      answered += 1;
      const answer = typeof scripted === "function" ? scripted(recorded) : scripted;
      if (answer === "never") return;
      setTimeout(() => {
        const isJson = answer.json !== undefined;
        response.writeHead(answer.status, { "content-type": isJson ? "application/json" : "text/plain", ...answer.headers });
        const content = isJson ? JSON.stringify(answer.json) : (answer.text ?? "");
        if (answer.hangsInBody) response.write(content);
        else response.end(content);
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    concurrency,
    answerWith: (next) => {
      answers = next;
      answered = 0;
      requests.length = 0;
      concurrency.highest = 0;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on: bound once, then released, so connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An OpenAI chat completion whose message is `content`. */
export function chatCompletion(content: string, model = "test-model"): unknown {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_769_680_800,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 900, completion_tokens: 120, total_tokens: 1020 },
  };
}
