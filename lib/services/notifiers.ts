import type { FrozenConfig } from "@/lib/config";
import type { Connections } from "./connections";
import { aiSettingsOf, type AiSettings } from "@/lib/ai/settings";
import type { DeliverySettings } from "@/lib/notify/deliver";

/** Teams and AI as this deployment has them; `off` says why, for the run's record. */
export type PipelineServices = {
  teams: { status: "off"; reason: string } | { status: "on"; settings: DeliverySettings; notifyKnownIssues: boolean };
  ai: { status: "off"; reason: string } | { status: "on"; settings: AiSettings };
};

/** Teams and AI as values.yaml and the connections (the environment's) configure them. */
export function pipelineServicesOf(config: FrozenConfig, connections: Pick<Connections, "teamsWebhookUrl" | "ai">): PipelineServices {
  const teamsConfig = config.notifications.teams;
  const teams: PipelineServices["teams"] = !teamsConfig.enabled
    ? { status: "off", reason: "notifications.teams.enabled is false in values.yaml" }
    : connections.teamsWebhookUrl === null
      ? { status: "off", reason: "notifications.teams.enabled is true but TEAMS_WEBHOOK_URL is not set" }
      : {
          status: "on",
          notifyKnownIssues: teamsConfig.notify_known_issues,
          settings: {
            webhookUrl: connections.teamsWebhookUrl,
            attempts: config.notifications.retry.attempts,
            initialBackoffMs: config.notifications.retry.initial_backoff_ms,
          },
        };
  const aiSetup = aiSettingsOf(config, connections.ai);
  const ai: PipelineServices["ai"] =
    aiSetup.status === "on"
      ? { status: "on", settings: aiSetup.settings }
      : aiSetup.status === "off"
        ? { status: "off", reason: "ai.enabled is false in values.yaml" }
        : { status: "off", reason: aiSetup.problem };
  return { teams, ai };
}
