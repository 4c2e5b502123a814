import type { ComposeFile } from "./composeFile.ts";
import { referencedVariables } from "./envFile.ts";
import { list, type Problem, record } from "./problem.ts";
import type { ServicePorts } from "./serviceDefaults.ts";

/**
 * The rules docker-compose.yml keeps beyond the schema: every long-running service has a healthcheck and a memory
 * limit, dependants wait on `condition: service_healthy` (never on sleeps), image versions come from .env and are
 * pinned, each Gyre service is built with its SERVICE and listens where its code says, every `*_GRPC_ADDR` names a
 * service and port that exist, and host ports are bound to loopback.
 */
export function composeRuleProblems(
  compose: ComposeFile,
  variables: ReadonlyMap<string, string>,
  gyreServices: readonly ServicePorts[],
): Problem[] {
  const problems: Problem[] = [];
  const add = (at: string, message: string) => problems.push({ file: compose.file, at, message });
  const services = record(compose.resolved.services);
  const rawServices = record(compose.raw.services);
  const grpcPortOf = new Map(gyreServices.map((ports) => [ports.service as string, ports.grpc?.port]));

  for (const [name, value] of Object.entries(services)) {
    const service = record(value);
    const at = `services.${name}`;
    if (!isOneShot(service)) {
      const healthcheck = record(service.healthcheck);
      if (
        healthcheck.disable === true ||
        (list(healthcheck.test).length === 0 && typeof healthcheck.test !== "string")
      ) {
        add(
          `${at}.healthcheck`,
          'a long-running service needs a healthcheck (one-shots: restart "no" and label gyre.one-shot)',
        );
      }
    }
    const memory = record(record(record(service.deploy).resources).limits).memory;
    if (memoryBytes(memory) === undefined) {
      add(
        `${at}.deploy.resources.limits.memory`,
        `expected a memory limit such as 512M, got ${JSON.stringify(memory)}`,
      );
    }
    problems.push(...dependsOnProblems(compose.file, at, service.depends_on, services));
    problems.push(...imageProblems(compose.file, at, record(rawServices[name]), service, variables));
    for (const [key, address] of Object.entries(record(service.environment))) {
      if (!key.endsWith("_GRPC_ADDR")) continue;
      const [host, port] = String(address).split(":");
      if (!host || !(host in services)) add(`${at}.environment.${key}`, `${address}: no compose service "${host}"`);
      else if (grpcPortOf.has(host) && Number(port) !== grpcPortOf.get(host)) {
        add(`${at}.environment.${key}`, `${address}: ${host} serves gRPC on ${grpcPortOf.get(host)}`);
      }
    }
    for (const [index, port] of list(service.ports).entries()) {
      if (typeof port !== "string" || !port.startsWith("127.0.0.1:")) {
        add(`${at}.ports[${index}]`, `${JSON.stringify(port)}: bind published ports to 127.0.0.1`);
      }
    }
  }

  for (const ports of gyreServices) {
    problems.push(...gyreServiceProblems(compose.file, ports, record(services[ports.service])));
  }
  return problems;
}

/** A service that runs once and exits: `restart: "no"` and the label `gyre.one-shot: "true"`. */
export function isOneShot(service: Record<string, unknown>): boolean {
  return service.restart === "no" && record(service.labels)["gyre.one-shot"] === "true";
}

function dependsOnProblems(file: string, at: string, dependsOn: unknown, services: Record<string, unknown>): Problem[] {
  if (dependsOn === undefined) return [];
  if (Array.isArray(dependsOn)) {
    return [
      {
        file,
        at: `${at}.depends_on`,
        message: "the list form waits only until a container starts; use condition: service_healthy",
      },
    ];
  }
  return Object.entries(record(dependsOn)).flatMap(([target, value]): Problem[] => {
    const where = `${at}.depends_on.${target}`;
    const condition = record(value).condition;
    if (!(target in services)) return [{ file, at: where, message: `no service "${target}"` }];
    if (condition !== "service_healthy") {
      return [{ file, at: where, message: `condition ${JSON.stringify(condition)}: use service_healthy` }];
    }
    if (isOneShot(record(services[target]))) {
      return [{ file, at: where, message: `"${target}" is a one-shot; nothing may wait for it to be healthy` }];
    }
    return [];
  });
}

function imageProblems(
  file: string,
  at: string,
  raw: Record<string, unknown>,
  service: Record<string, unknown>,
  variables: ReadonlyMap<string, string>,
): Problem[] {
  const image = raw.image;
  if (typeof image !== "string") return [{ file, at: `${at}.image`, message: "name the image (pinned through .env)" }];
  const names = referencedVariables(image);
  const problems: Problem[] = [];
  if (names.length === 0) {
    problems.push({ file, at: `${at}.image`, message: `${image}: take the version from a .env variable` });
  }
  if (service.build === undefined && !/^\$\{[A-Z0-9_]+\}$/.test(image)) {
    problems.push({
      file,
      at: `${at}.image`,
      message: `${image}: a pulled image is one .env variable, like \${NATS_IMAGE}`,
    });
  }
  for (const name of names) {
    const value = variables.get(name);
    if (value === undefined) problems.push({ file, at: `${at}.image`, message: `${name} is not defined in .env` });
    else if (!isPinned(service.build === undefined ? value : `image:${value}`)) {
      problems.push({ file, at: `${at}.image`, message: `${name}=${value} in .env is not a pinned version` });
    }
  }
  return problems;
}

/** `name:tag` with a tag other than latest, or a digest. */
export function isPinned(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return tag !== undefined && tag !== "latest" && tag !== "";
}

function gyreServiceProblems(file: string, ports: ServicePorts, service: Record<string, unknown>): Problem[] {
  const at = `services.${ports.service}`;
  if (Object.keys(service).length === 0) return [{ file, at, message: "missing: every Gyre service runs in compose" }];
  const problems: Problem[] = [];
  const add = (where: string, message: string) => problems.push({ file, at: `${at}.${where}`, message });
  const args = record(record(service.build).args);
  if (args.SERVICE !== ports.service)
    add("build.args.SERVICE", `expected "${ports.service}", got ${JSON.stringify(args.SERVICE)}`);
  const environment = record(service.environment);
  if (String(environment.METRICS_PORT) !== String(ports.metricsPort)) {
    add("environment.METRICS_PORT", `expected ${ports.metricsPort} (its default in main.ts)`);
  }
  if (ports.grpc && String(environment[ports.grpc.variable]) !== String(ports.grpc.port)) {
    add(`environment.${ports.grpc.variable}`, `expected ${ports.grpc.port} (its default in main.ts)`);
  }
  return problems;
}

const UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** Compose byte values: `512M`, `1g`, `1073741824`. */
export function memoryBytes(value: unknown): number | undefined {
  if (typeof value === "number") return value > 0 ? value : undefined;
  const match = typeof value === "string" ? /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value) : null;
  if (!match?.[1]) return undefined;
  const unit = UNITS[(match[2] ?? "").toLowerCase() || "b"];
  const bytes = unit === undefined ? 0 : Number(match[1]) * unit;
  return bytes > 0 ? bytes : undefined;
}

/** deploy/compose/nats.conf: JetStream on, and every write fsynced before it is acknowledged. */
export function natsConfProblems(file: string, text: string): Problem[] {
  const jetstream = /jetstream\s*\{([^}]*)\}/.exec(text)?.[1];
  if (jetstream === undefined) return [{ file, at: "", message: "no jetstream { } block" }];
  if (!/^\s*sync_interval\s*:\s*"?always"?\s*$/m.test(jetstream)) {
    return [{ file, at: "jetstream", message: "set sync_interval: always (the default fsyncs lazily)" }];
  }
  return [];
}
