import type { FrozenConfig } from "@/lib/config";
import type { Environment } from "@/lib/env.js";

/** How to reach an OpenAI-compatible chat completions endpoint, and how to describe peaks to it. */
export type AiSettings = {
  /** Usually ends with /v1; /chat/completions is appended. */
  baseUrl: string;
  /** Sent as a bearer token when set; local servers often need none. */
  apiKey?: string;
  model: string;
  /** Per request, including reading the answer. */
  timeoutMs: number;
  /** Sent as max_tokens. */
  maxOutputTokens: number;
  /** IANA timezone the peak's window is also given in. */
  timeZone: string;
  windowMinutes: number;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: typeof fetch;
};

/**
 * Whether AI analysis runs: off (ai.enabled is false), misconfigured (enabled, but the
 * environment lacks what it needs; `problem` says what, for the run to report), or on.
 */
export type AiSetup = { status: "off" } | { status: "misconfigured"; problem: string } | { status: "on"; settings: AiSettings };

export type AiEnvironment = Pick<Environment, "AI_BASE_URL" | "AI_API_KEY" | "AI_MODEL">;

/** The AI setup of a configuration and an environment (pass lib/env.js's `env`). */
export function aiSettingsOf(config: Pick<FrozenConfig, "ai" | "timezone" | "window_minutes">, environment: AiEnvironment): AiSetup {
  if (!config.ai.enabled) return { status: "off" };
  const missing = [environment.AI_BASE_URL === undefined ? "AI_BASE_URL" : null, environment.AI_MODEL === undefined ? "AI_MODEL" : null].filter(
    (name) => name !== null,
  );
  if (environment.AI_BASE_URL === undefined || environment.AI_MODEL === undefined) {
    return {
      status: "misconfigured",
      problem: `AI analysis is enabled (ai.enabled in values.yaml) but ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set in the environment`,
    };
  }
  return {
    status: "on",
    settings: {
      baseUrl: environment.AI_BASE_URL,
      ...(environment.AI_API_KEY !== undefined ? { apiKey: environment.AI_API_KEY } : {}),
      model: environment.AI_MODEL,
      timeoutMs: config.ai.timeout_ms,
      maxOutputTokens: config.ai.max_output_tokens,
      timeZone: config.timezone,
      windowMinutes: config.window_minutes,
    },
  };
}
