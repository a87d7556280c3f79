import type { FrozenConfig } from "@/lib/config";
import { aiSettingsOf } from "@/lib/ai/settings";
import { env } from "@/lib/env.js";
import type { PipelineServices } from "./run-steps";

/** Teams and AI as values.yaml and the environment configure them. */
export function pipelineServicesFromEnvironment(config: FrozenConfig): PipelineServices {
  const teamsConfig = config.notifications.teams;
  const teams: PipelineServices["teams"] = !teamsConfig.enabled
    ? { status: "off", reason: "notifications.teams.enabled is false in values.yaml" }
    : !env.TEAMS_WEBHOOK_URL
      ? { status: "off", reason: "notifications.teams.enabled is true but TEAMS_WEBHOOK_URL is not set" }
      : {
          status: "on",
          notifyKnownIssues: teamsConfig.notify_known_issues,
          settings: {
            webhookUrl: env.TEAMS_WEBHOOK_URL,
            attempts: config.notifications.retry.attempts,
            initialBackoffMs: config.notifications.retry.initial_backoff_ms,
          },
        };
  const aiSetup = aiSettingsOf(config, env);
  const ai: PipelineServices["ai"] =
    aiSetup.status === "on"
      ? { status: "on", settings: aiSetup.settings }
      : aiSetup.status === "off"
        ? { status: "off", reason: "ai.enabled is false in values.yaml" }
        : { status: "off", reason: aiSetup.problem };
  return { teams, ai };
}
