// The example Kubernetes manifests (deploy/kubernetes) agree with the application: routes,
// ports, variables, probes, the Secret's keys, the mounted values.yaml and the cron schedules.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { parseConfig } from "@/lib/config";
import { ENVIRONMENT_VARIABLES, parseEnvironment } from "@/lib/env-schema.js";

const root = path.resolve(import.meta.dirname, "..");
const folder = path.join(root, "deploy", "kubernetes");

/** Variables the manifests may set that Next.js's standalone server.js reads, not the app. */
const NEXT_SERVER_VARIABLES = ["HOSTNAME"];

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } };
type Probe = { httpGet: { path: string; port: string | number } };
type Container = {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
};
type PodSpec = { containers: Container[]; volumes?: { name: string; configMap?: { name: string; items?: { key: string; path: string }[] } }[] };
type Manifest = { kind: string; metadata: { name: string }; spec?: unknown; data?: Record<string, string>; stringData?: Record<string, string> };
type Deployment = Manifest & { spec: { template: { spec: PodSpec } } };
type Service = Manifest & { spec: { ports: { port: number; targetPort: number | string }[] } };
type CronJob = Manifest & { spec: { schedule: string; timeZone?: string; jobTemplate: { spec: { template: { spec: PodSpec } } } } };

const manifests: Manifest[] = readdirSync(folder)
  .filter((name) => name.endsWith(".yaml") && name !== "kustomization.yaml")
  .flatMap((name) =>
    parseAllDocuments(readFileSync(path.join(folder, name), "utf8")).map((document) => {
      expect(document.errors, name).toEqual([]);
      return document.toJS() as Manifest;
    }),
  );

function only<T extends Manifest>(kind: string): T {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as T;
}

const deployment = only<Deployment>("Deployment");
const service = only<Service>("Service");
const secret = only<Manifest>("Secret");
const configMap = only<Manifest>("ConfigMap");
const cronJobs = manifests.filter((manifest): manifest is CronJob => manifest.kind === "CronJob");
const pod = deployment.spec.template.spec;
const dashboard = pod.containers[0]!;
const allContainers = [...pod.containers, ...cronJobs.flatMap((job) => job.spec.jobTemplate.spec.template.spec.containers)];
const valueOf = (name: string) => dashboard.env?.find((variable) => variable.name === name)?.value;

describe("deploy/kubernetes", () => {
  it("lists every manifest file in its kustomization", () => {
    const kustomization = parseAllDocuments(readFileSync(path.join(folder, "kustomization.yaml"), "utf8"))[0]!.toJS() as { resources: string[] };
    const files = readdirSync(folder).filter((name) => name.endsWith(".yaml") && name !== "kustomization.yaml");
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it("probes the health routes: liveness /api/health, readiness /api/health/ready, on the container's port", () => {
    expect(dashboard.livenessProbe?.httpGet.path).toBe("/api/health");
    expect(dashboard.readinessProbe?.httpGet.path).toBe("/api/health/ready");
    for (const probe of [dashboard.livenessProbe, dashboard.readinessProbe, dashboard.startupProbe]) {
      if (!probe) continue;
      const route = path.join(root, "app", ...probe.httpGet.path.split("/").filter(Boolean), "route.ts");
      expect(existsSync(route), route).toBe(true);
      expect(dashboard.ports?.some((port) => port.name === probe.httpGet.port || port.containerPort === probe.httpGet.port)).toBe(true);
    }
  });

  it("sends the Service to the container's port, which is the PORT the server listens on", () => {
    const containerPort = dashboard.ports?.[0];
    expect(containerPort).toBeDefined();
    const targets = service.spec.ports.map((port) => port.targetPort);
    expect(targets).toHaveLength(1);
    expect([containerPort!.containerPort, containerPort!.name]).toContain(targets[0]);
    expect(Number(valueOf("PORT"))).toBe(containerPort!.containerPort);
  });

  it("names only variables of the application's environment (and Next.js's HOSTNAME)", () => {
    const known = new Set<string>([...ENVIRONMENT_VARIABLES, ...NEXT_SERVER_VARIABLES]);
    const named = allContainers.flatMap((container) => (container.env ?? []).map((variable) => variable.name));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !known.has(name))).toEqual([]);
    expect(Object.keys(secret.stringData ?? {}).filter((name) => !known.has(name))).toEqual([]);
  });

  it("takes every secret key it references from the Secret, and the Secret holds no key nobody reads", () => {
    const references = allContainers.flatMap((container) => (container.env ?? []).flatMap((variable) => variable.valueFrom?.secretKeyRef ?? []));
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) {
      expect(reference.name).toBe(secret.metadata.name);
      expect(Object.keys(secret.stringData ?? {})).toContain(reference.key);
    }
    expect(Object.keys(secret.stringData ?? {}).sort()).toEqual([...new Set(references.map((reference) => reference.key))].sort());
  });

  it("gives the dashboard an environment the application accepts, with the Secret's values", () => {
    const environment = Object.fromEntries(
      (dashboard.env ?? [])
        .filter((variable) => !NEXT_SERVER_VARIABLES.includes(variable.name))
        .map((variable) => [variable.name, variable.value ?? secret.stringData?.[variable.valueFrom!.secretKeyRef!.key]]),
    );
    const parsed = parseEnvironment(environment);
    expect(parsed.DATABASE_URL, "Kubernetes runs on PostgreSQL, never the embedded database").toMatch(/^postgresql:\/\//);
    expect(parsed.NEXTAUTH_SECRET).toBeDefined();
    expect(parsed.CRON_SECRET).toBeDefined();
    expect(new URL(parsed.NEXTAUTH_URL!).protocol).toBe("https:");
  });

  it("mounts the ConfigMap's values.yaml where PEAKS_CONFIG points, and the application's loader accepts it", () => {
    const configFile = valueOf("PEAKS_CONFIG");
    expect(configFile).toBeDefined();
    const volume = pod.volumes?.find((candidate) => candidate.configMap?.name === configMap.metadata.name);
    expect(volume).toBeDefined();
    const mount = dashboard.volumeMounts?.find((candidate) => candidate.name === volume!.name);
    expect(mount).toBeDefined();
    const item = volume!.configMap!.items?.find((candidate) => path.posix.join(mount!.mountPath, candidate.path) === configFile);
    expect(item, `${configFile} is a file of the mounted ConfigMap`).toBeDefined();
    const text = configMap.data?.[item!.key];
    expect(text).toBeDefined();
    const config = parseConfig(text!, "values.yaml (ConfigMap)");
    // The standalone server has no built-in scheduler: the CronJobs run the jobs.
    expect(config.scheduler.enabled).toBe(false);
    expect(new URL(config.notifications.dashboard_url).origin).toBe(new URL(valueOf("NEXTAUTH_URL")!).origin);
    expect(config.auth.trusted_proxy_hops).toBe(1);
    // Otherwise the project's values.yaml: its comment says which three keys differ.
    const project = parseConfig(readFileSync(path.join(root, "values.yaml"), "utf8"), "values.yaml");
    expect({
      ...config,
      scheduler: { ...config.scheduler, enabled: project.scheduler.enabled },
      notifications: { ...config.notifications, dashboard_url: project.notifications.dashboard_url },
      auth: { ...config.auth, trusted_proxy_hops: project.auth.trusted_proxy_hops },
    }).toEqual(project);
  });

  it("has a CronJob for every scheduled-job route, calling it on the Service with the bearer secret on vercel.json's schedule", () => {
    const cronRoutes = readdirSync(path.join(root, "app", "api", "cron")).filter((name) => existsSync(path.join(root, "app", "api", "cron", name, "route.ts")));
    const vercel = JSON.parse(readFileSync(path.join(root, "vercel.json"), "utf8")) as { crons: { path: string; schedule: string }[] };
    const called: string[] = [];
    for (const job of cronJobs) {
      const container = job.spec.jobTemplate.spec.template.spec.containers[0]!;
      expect(
        container.command?.every((part) => typeof part === "string"),
        `${job.metadata.name}: the command is a list of strings`,
      ).toBe(true);
      const command = (container.command ?? []).join(" ");
      const url = new URL(/https?:\/\/[^\s"']+/.exec(command)?.[0] ?? "invalid:");
      expect(url.hostname, job.metadata.name).toBe(service.metadata.name);
      expect(Number(url.port || 80), job.metadata.name).toBe(service.spec.ports[0]!.port);
      expect(command, job.metadata.name).toContain("Authorization: Bearer");
      expect(command, job.metadata.name).toContain("$CRON_SECRET");
      expect(container.env?.find((variable) => variable.name === "CRON_SECRET")?.valueFrom?.secretKeyRef?.key).toBe("CRON_SECRET");
      expect(url.pathname).toMatch(/^\/api\/cron\/[a-z-]+$/);
      expect(existsSync(path.join(root, "app", ...url.pathname.split("/").filter(Boolean), "route.ts")), url.pathname).toBe(true);
      expect(job.spec.schedule, url.pathname).toBe(vercel.crons.find((cron) => cron.path === url.pathname)?.schedule);
      expect(job.spec.timeZone).toBe("Etc/UTC");
      called.push(url.pathname.split("/").at(-1)!);
    }
    expect(called.sort()).toEqual(cronRoutes.sort());
  });
});

describe("vercel.json", () => {
  it("schedules exactly the scheduled-job routes", () => {
    const vercel = JSON.parse(readFileSync(path.join(root, "vercel.json"), "utf8")) as { crons: { path: string }[] };
    const cronRoutes = readdirSync(path.join(root, "app", "api", "cron")).map((name) => `/api/cron/${name}`);
    expect(vercel.crons.map((cron) => cron.path).sort()).toEqual(cronRoutes.sort());
  });
});
