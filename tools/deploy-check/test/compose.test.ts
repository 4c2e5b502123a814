// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Compose and Dockerfile text, where ${VAR} is variable syntax
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { composeSchemaProblems, loadCompose } from "../src/composeFile.ts";
import { composeRuleProblems, isOneShot, memoryBytes, natsConfProblems } from "../src/composeRules.ts";
import { interpolate } from "../src/envFile.ts";
import { formatProblem, type Problem, record } from "../src/problem.ts";
import { composeVariables, readRepoFile } from "../src/repository.ts";
import { servicePorts } from "../src/serviceDefaults.ts";

const FILE = "docker-compose.yml";
const variables = composeVariables();
const ports = servicePorts();

/** Every problem of a Compose text: interpolation, the Compose Specification's schema, and the rules. */
function check(text: string, env: ReadonlyMap<string, string> = variables): string[] {
  const compose = loadCompose(FILE, text, env);
  const problems: Problem[] = [
    ...compose.problems,
    ...composeSchemaProblems(FILE, compose.resolved),
    ...composeRuleProblems(compose, env, ports),
  ];
  return problems.map(formatProblem);
}

function services(text = readRepoFile(FILE)): Record<string, Record<string, unknown>> {
  const compose = loadCompose(FILE, text, variables);
  return Object.fromEntries(
    Object.entries(record(compose.resolved.services)).map(([name, value]) => [name, record(value)]),
  );
}

describe("docker-compose.yml", () => {
  it("is valid against the Compose Specification's JSON Schema and keeps every rule", () => {
    assert.deepEqual(check(readRepoFile(FILE)), []);
  });

  it("runs the infrastructure, the seven services, the console and the one-shot demo", () => {
    assert.deepEqual(Object.keys(services()).sort(), [
      ...["console", "demo", "feature-store", "ingestion", "jaeger", "minio", "monitoring", "nats", "postgres"],
      "registry",
      ...["serving", "trainer", "validation"],
    ]);
    const oneShots = Object.entries(services()).filter(([, service]) => isOneShot(service));
    assert.deepEqual(
      oneShots.map(([name]) => name),
      ["demo"],
    );
    assert.deepEqual(services().demo?.command, ["node", "--import", "tsx", "scripts/demo-stream.ts"]);
  });

  it("points every service at the compose infrastructure and the gRPC addresses of the others", () => {
    for (const { service } of ports) {
      const environment = record(services()[service]?.environment);
      assert.equal(environment.NATS_URL, "nats://nats:4222", service);
      assert.match(String(environment.DATABASE_URL), /^postgres:\/\/gyre:[^@]+@postgres:5432\/gyre$/, service);
      assert.equal(environment.S3_ENDPOINT, "http://minio:9000", service);
      assert.equal(environment.OTEL_EXPORTER_OTLP_ENDPOINT, "http://jaeger:4318", service);
      assert.equal(environment.REGISTRY_GRPC_ADDR, "registry:50053", service);
      assert.equal(environment.FEATURE_STORE_GRPC_ADDR, "feature-store:50052", service);
    }
  });

  it("runs NATS with JetStream fsyncing every write", () => {
    assert.deepEqual(natsConfProblems("deploy/compose/nats.conf", readRepoFile("deploy/compose/nats.conf")), []);
    assert.deepEqual(natsConfProblems("nats.conf", "jetstream {\n  store_dir: /data\n}\n").length, 1);
    assert.deepEqual(natsConfProblems("nats.conf", "port: 4222\n").length, 1);
  });

  describe("a broken copy fails", () => {
    const original = readRepoFile(FILE);
    const broken = (from: string, to: string) => {
      assert.ok(original.includes(from), `the test's anchor text ${JSON.stringify(from)} is in ${FILE}`);
      return check(original.replace(from, to));
    };

    it("on a misspelt key (schema)", () => {
      const problems = broken("    image: ${POSTGRES_IMAGE}", "    imgae: ${POSTGRES_IMAGE}");
      assert.ok(
        problems.some((problem) => problem.includes('services.postgres: unknown key "imgae"')),
        problems.join("\n"),
      );
    });

    it("on a value of the wrong type (schema)", () => {
      const problems = broken("    init: true", "    init: 1");
      assert.ok(
        problems.some((problem) => /services\.\w+(-\w+)?\.init: must be boolean/.test(problem)),
        problems.join("\n"),
      );
    });

    it("on depends_on in list form, which waits only for a start", () => {
      const problems = broken(
        "      <<: *infra-ready\n      registry: { condition: service_healthy }\n    deploy:\n      resources:\n        limits:\n          memory: 1G\n\n  monitoring:",
        "      - registry\n    deploy:\n      resources:\n        limits:\n          memory: 1G\n\n  monitoring:",
      );
      assert.ok(
        problems.includes(
          `${FILE} services.serving.depends_on: the list form waits only until a container starts; use condition: service_healthy`,
        ),
        problems.join("\n"),
      );
    });

    it("on a dependency that waits for a mere start", () => {
      const problems = broken(
        "      registry: { condition: service_healthy }\n    deploy:\n      resources:\n        limits:\n          memory: 1G\n\n  monitoring:",
        "      registry: { condition: service_started }\n    deploy:\n      resources:\n        limits:\n          memory: 1G\n\n  monitoring:",
      );
      assert.ok(
        problems.some((problem) =>
          problem.includes('services.serving.depends_on.registry: condition "service_started"'),
        ),
        problems.join("\n"),
      );
    });

    it("on a service without a memory limit", () => {
      const problems = broken("          memory: 2G", "          cpus: '2'");
      assert.ok(
        problems.some((problem) => problem.includes("services.trainer.deploy.resources.limits.memory")),
        problems.join("\n"),
      );
    });

    it("on a service without a healthcheck", () => {
      const text = original.replace(
        '      test: ["CMD", "mc", "ready", "local"]\n      <<: *infra-healthcheck',
        "      disable: true",
      );
      assert.notEqual(text, original);
      assert.ok(
        check(text).some((problem) =>
          problem.includes("services.minio.healthcheck: a long-running service needs a healthcheck"),
        ),
      );
    });

    it("on an image version that is not pinned in .env", () => {
      assert.ok(
        broken("    image: ${JAEGER_IMAGE}", "    image: jaegertracing/jaeger:2.13.0").some((problem) =>
          problem.includes("take the version from a .env variable"),
        ),
      );
      const latest = new Map(variables).set("NATS_IMAGE", "nats:latest");
      assert.ok(
        check(original, latest).some((problem) =>
          problem.includes("NATS_IMAGE=nats:latest in .env is not a pinned version"),
        ),
      );
      const missing = new Map(variables);
      missing.delete("MINIO_IMAGE");
      assert.ok(
        check(original, missing).some((problem) => problem.includes("MINIO_IMAGE is not set and has no default")),
      );
    });

    it("on a gRPC address that names no service or the wrong port", () => {
      const problems = broken("  REGISTRY_GRPC_ADDR: registry:50053", "  REGISTRY_GRPC_ADDR: registry:50054");
      assert.ok(
        problems.some((problem) =>
          problem.includes("REGISTRY_GRPC_ADDR: registry:50054: registry serves gRPC on 50053"),
        ),
        problems.join("\n"),
      );
    });

    it("on a service built for another SERVICE, or listening off its default port", () => {
      assert.ok(
        broken("SERVICE: validation }", "SERVICE: ingestion }").some((problem) =>
          problem.includes('services.validation.build.args.SERVICE: expected "validation"'),
        ),
      );
      assert.ok(
        broken('METRICS_PORT: "9466"', 'METRICS_PORT: "9470"').some((problem) =>
          problem.includes("services.serving.environment.METRICS_PORT: expected 9466"),
        ),
      );
    });

    it("on a port published on every interface", () => {
      assert.ok(
        broken('ports: ["127.0.0.1:5432:5432"]', 'ports: ["5432:5432"]').some((problem) =>
          problem.includes("bind published ports to 127.0.0.1"),
        ),
      );
    });
  });
});

describe("Compose interpolation", () => {
  const env = new Map([
    ["SET", "value"],
    ["EMPTY", ""],
  ]);
  const cases: [string, string][] = [
    ["${SET}", "value"],
    ["$SET/x", "value/x"],
    ["${EMPTY:-fallback}", "fallback"],
    ["${EMPTY-fallback}", ""],
    ["${UNSET-fallback}", "fallback"],
    ["${SET:+alt}", "alt"],
    ["${EMPTY:+alt}", ""],
    ["$${SET}", "${SET}"],
    ["a:${SET}:b", "a:value:b"],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${text} as ${JSON.stringify(expected)}`, () => assert.equal(interpolate(text, env), expected));
  }
  it("rejects an unset variable without a default, and a required one", () => {
    assert.throws(() => interpolate("${UNSET}", env), /UNSET is not set and has no default/);
    assert.throws(() => interpolate("${EMPTY:?set it}", env), /EMPTY is required: set it/);
  });
});

describe("Compose memory sizes", () => {
  const cases: [unknown, number | undefined][] = [
    ["512M", 512 * 1024 ** 2],
    ["2G", 2 * 1024 ** 3],
    ["1gb", 1024 ** 3],
    [1048576, 1048576],
    ["0", undefined],
    ["lots", undefined],
    [undefined, undefined],
  ];
  for (const [value, bytes] of cases) {
    it(`reads ${JSON.stringify(value)} as ${bytes}`, () => assert.equal(memoryBytes(value), bytes));
  }
});
