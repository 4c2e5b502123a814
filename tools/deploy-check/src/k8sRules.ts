import { isSecretName, maskUrlCredentials } from "@gyre/config";
import type { Manifest } from "./k8sSchema.ts";
import { quantity } from "./k8sSchema.ts";
import { list, type Problem, record } from "./problem.ts";
import type { ServicePorts } from "./serviceDefaults.ts";

/** Marks a Secret value as a placeholder that an overlay must replace. */
export const PLACEHOLDER = "CHANGE-ME";

type Obj = Record<string, unknown>;

/**
 * The rules of the kustomize base beyond the Kubernetes schema: one Deployment per service (serving with at least 2
 * replicas), probes on /healthz and /readyz through the metrics port, requests and limits, a PodDisruptionBudget per
 * Deployment that does not block node drains, Services that select pods and reach named ports, every referenced
 * ConfigMap and Secret present, `*_GRPC_ADDR` pointing at Services, non-root pods, and placeholder-only Secrets.
 */
export function kubernetesRuleProblems(
  manifests: readonly Manifest[],
  gyreServices: readonly ServicePorts[],
): Problem[] {
  const problems: Problem[] = [];
  const of = (kind: string) => manifests.filter((manifest) => manifest.object.kind === kind);
  const name = (manifest: Manifest) => String(record(manifest.object.metadata).name);
  const deployments = of("Deployment");
  const services = of("Service");
  const configMaps = new Set(of("ConfigMap").map(name));
  const secrets = new Set(of("Secret").map(name));

  for (const ports of gyreServices) {
    const deployment = deployments.find((manifest) => name(manifest) === ports.service);
    if (!deployment) {
      problems.push({
        file: "deploy/k8s",
        at: `Deployment/${ports.service}`,
        message: "missing: one Deployment per service",
      });
      continue;
    }
    problems.push(...deploymentProblems(deployment, ports, configMaps, secrets));
    const replicas = Number(record(deployment.object.spec).replicas ?? 1);
    if (ports.service === "serving" && replicas < 2) {
      problems.push({
        file: deployment.file,
        at: "Deployment/serving.spec.replicas",
        message: `${replicas}: serving runs at least 2 replicas`,
      });
    }
    const budget = of("PodDisruptionBudget").find((pdb) =>
      selects(record(pdb.object.spec).selector, podLabels(deployment)),
    );
    if (!budget) {
      problems.push({
        file: deployment.file,
        at: `Deployment/${ports.service}`,
        message: "no PodDisruptionBudget selects its pods",
      });
    } else if (Number(record(budget.object.spec).minAvailable ?? 0) >= replicas) {
      problems.push({
        file: budget.file,
        at: `PodDisruptionBudget/${name(budget)}`,
        message: `minAvailable >= replicas (${replicas}) blocks every node drain`,
      });
    }
    if (ports.grpc) {
      const service = services.find((manifest) => name(manifest) === ports.service);
      const servicePorts = list(record(service?.object.spec).ports).map(record);
      if (!servicePorts.some((port) => port.port === ports.grpc?.port)) {
        problems.push({
          file: deployment.file,
          at: `Service/${ports.service}`,
          message: `expected a Service "${ports.service}" on gRPC port ${ports.grpc.port}`,
        });
      }
    }
  }

  for (const service of services) {
    const spec = record(service.object.spec);
    const target = deployments.find((deployment) => selects({ matchLabels: spec.selector }, podLabels(deployment)));
    if (!target) {
      problems.push({
        file: service.file,
        at: `Service/${name(service)}`,
        message: "its selector matches no Deployment's pods",
      });
      continue;
    }
    const containerPorts = containers(target).flatMap((container) => list(container.ports).map(record));
    for (const port of list(spec.ports).map(record)) {
      const targetPort = port.targetPort ?? port.port;
      if (
        !containerPorts.some((candidate) => candidate.name === targetPort || candidate.containerPort === targetPort)
      ) {
        problems.push({
          file: service.file,
          at: `Service/${name(service)}`,
          message: `targetPort ${String(targetPort)} is no port of ${name(target)}`,
        });
      }
    }
  }

  const serviceAddresses = new Set(
    services.flatMap((service) =>
      list(record(service.object.spec).ports).map((port) => `${name(service)}:${record(port).port}`),
    ),
  );
  for (const configMap of of("ConfigMap")) {
    for (const [key, value] of Object.entries(record(configMap.object.data))) {
      if (key.endsWith("_GRPC_ADDR") && !serviceAddresses.has(String(value))) {
        problems.push({
          file: configMap.file,
          at: `ConfigMap/${name(configMap)}.data.${key}`,
          message: `${String(value)}: no Service with that name and port`,
        });
      }
    }
  }

  for (const secret of of("Secret")) {
    for (const [key, value] of Object.entries({ ...record(secret.object.stringData), ...record(secret.object.data) })) {
      const sensitive = isSecretName(key) || maskUrlCredentials(String(value)) !== String(value);
      if (sensitive && !String(value).includes(PLACEHOLDER)) {
        problems.push({
          file: secret.file,
          at: `Secret/${name(secret)}.${key}`,
          message: `only placeholders (${PLACEHOLDER}) belong in the repository`,
        });
      }
    }
  }
  return problems;
}

function podTemplate(deployment: Manifest): Obj {
  return record(record(deployment.object.spec).template);
}

function podLabels(deployment: Manifest): Obj {
  return record(record(podTemplate(deployment).metadata).labels);
}

function containers(deployment: Manifest): Obj[] {
  return list(record(podTemplate(deployment).spec).containers).map(record);
}

function selects(selector: unknown, labels: Obj): boolean {
  const matchLabels = Object.entries(record(record(selector).matchLabels));
  return matchLabels.length > 0 && matchLabels.every(([key, value]) => labels[key] === value);
}

function envValue(container: Obj, variable: string): unknown {
  return list(container.env)
    .map(record)
    .find((entry) => entry.name === variable)?.value;
}

function deploymentProblems(
  deployment: Manifest,
  ports: ServicePorts,
  configMaps: ReadonlySet<string>,
  secrets: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  const podSpec = record(podTemplate(deployment).spec);
  const at = `Deployment/${ports.service}`;
  const add = (where: string, message: string) =>
    problems.push({ file: deployment.file, at: `${at}${where}`, message });
  if (record(podSpec.securityContext).runAsNonRoot !== true) add(".securityContext", "set runAsNonRoot: true");
  if (!selects(record(deployment.object.spec).selector, podLabels(deployment)))
    add(".spec.selector", "does not match the pod template's labels");

  for (const container of containers(deployment)) {
    const where = `.containers.${String(container.name)}`;
    if (envValue(container, "SERVICE") !== ports.service) add(`${where}.env.SERVICE`, `expected "${ports.service}"`);
    if (String(envValue(container, "METRICS_PORT")) !== String(ports.metricsPort)) {
      add(`${where}.env.METRICS_PORT`, `expected ${ports.metricsPort} (its default in main.ts)`);
    }
    if (ports.grpc && String(envValue(container, ports.grpc.variable)) !== String(ports.grpc.port)) {
      add(`${where}.env.${ports.grpc.variable}`, `expected ${ports.grpc.port} (its default in main.ts)`);
    }
    const containerPorts = list(container.ports).map(record);
    const probes: [string, string][] = [
      ["livenessProbe", "/healthz"],
      ["readinessProbe", "/readyz"],
    ];
    for (const [probe, path] of probes) {
      const httpGet = record(record(container[probe]).httpGet);
      if (httpGet.path !== path) add(`${where}.${probe}`, `expected an httpGet of ${path}`);
      const port = containerPorts.find(
        (candidate) => candidate.name === httpGet.port || candidate.containerPort === httpGet.port,
      );
      if (port?.containerPort !== ports.metricsPort)
        add(`${where}.${probe}`, `expected the metrics port ${ports.metricsPort}`);
    }
    const resources = record(container.resources);
    for (const resource of ["cpu", "memory"]) {
      const request = quantity(record(resources.requests)[resource]);
      const limit = quantity(record(resources.limits)[resource]);
      if (request === undefined || limit === undefined)
        add(`${where}.resources`, `set requests and limits of ${resource}`);
      else if (request > limit) add(`${where}.resources`, `the ${resource} request exceeds its limit`);
    }
    if (record(container.securityContext).allowPrivilegeEscalation !== false) {
      add(`${where}.securityContext`, "set allowPrivilegeEscalation: false");
    }
    for (const source of list(container.envFrom).map(record)) {
      const configMap = record(source.configMapRef).name;
      const secret = record(source.secretRef).name;
      if (configMap !== undefined && !configMaps.has(String(configMap)))
        add(`${where}.envFrom`, `no ConfigMap "${String(configMap)}"`);
      if (secret !== undefined && !secrets.has(String(secret)))
        add(`${where}.envFrom`, `no Secret "${String(secret)}"`);
    }
  }
  return problems;
}
