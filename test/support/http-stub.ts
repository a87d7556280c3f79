import http from "node:http";
import type { AddressInfo } from "node:net";

export type StubRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown };
/** How the stub answers one request; `never` keeps it waiting (the client's timeout decides). */
export type StubAnswer = { status: number; json?: unknown; text?: string; delayMs?: number } | "never";

export type HttpStub = {
  url: string;
  /** Every request since the last `answerWith`, bodies parsed as JSON (raw text when not JSON). */
  requests: StubRequest[];
  /** Scripts the next answers in order; the last one repeats. Clears `requests`. */
  answerWith: (answers: readonly (StubAnswer | ((request: StubRequest) => StubAnswer))[]) => void;
  close: () => Promise<void>;
};

/**
 * A real HTTP server on 127.0.0.1 standing in for a webhook or an API (Teams, an AI endpoint):
 * real sockets, real status codes, real timeouts, scripted per request.
 */
export async function startHttpStub(): Promise<HttpStub> {
  let answers: readonly (StubAnswer | ((request: StubRequest) => StubAnswer))[] = [{ status: 200, json: {} }];
  let answered = 0;
  const requests: StubRequest[] = [];
  const server = http.createServer((request, response) => {
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
      const recorded: StubRequest = { method: request.method ?? "", path: request.url ?? "", headers: request.headers, body };
      requests.push(recorded);
      const scripted = answers[Math.min(answered, answers.length - 1)]!;
      answered += 1;
      const answer = typeof scripted === "function" ? scripted(recorded) : scripted;
      if (answer === "never") return;
      setTimeout(() => {
        const isJson = answer.json !== undefined;
        response.writeHead(answer.status, { "content-type": isJson ? "application/json" : "text/plain" }).end(isJson ? JSON.stringify(answer.json) : (answer.text ?? ""));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answerWith: (next) => {
      answers = next;
      answered = 0;
      requests.length = 0;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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
