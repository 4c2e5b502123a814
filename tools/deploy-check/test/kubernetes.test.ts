import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REPO_ROOT } from "@gyre/service";
import { parse } from "yaml";
import { kubernetesRuleProblems } from "../src/k8sRules.ts";
import { kubernetesSchemaProblems, type Manifest, parseManifests, quantity, readManifests } from "../src/k8sSchema.ts";
import { hasKubectl, kustomizationProblems, readKustomization, renderKustomization } from "../src/kustomization.ts";
import { formatProblem, list, record } from "../src/problem.ts";
import { K8S_FOLDER, kubernetesManifestFiles, readRepoFile } from "../src/repository.ts";
import { servicePorts } from "../src/serviceDefaults.ts";

const ports = servicePorts();
const files = kubernetesManifestFiles();
const manifests = readManifests(files, REPO_ROOT);

async function schemaProblems(objects: readonly Manifest[]): Promise<string[]> {
  const problems = await Promise.all(objects.map((manifest) => kubernetesSchemaProblems(manifest)));
  return problems.flat().map(formatProblem);
}

function find(objects: readonly Manifest[], kind: string, name: string): Manifest {
  const found = objects.find(
    (manifest) => manifest.object.kind === kind && record(manifest.object.metadata).name === name,
  );
  assert.ok(found, `${kind}/${name} exists`);
  return found;
}

/** A deep copy of the base's objects with one object changed. */
function edited(kind: string, name: string, change: (object: Record<string, unknown>) => void): Manifest[] {
  const copy = structuredClone(manifests);
  change(find(copy, kind, name).object);
  return copy;
}

function container(object: Record<string, unknown>): Record<string, unknown> {
  return record(list(record(record(record(object.spec).template).spec).containers)[0]);
}

describe("deploy/k8s", () => {
  it("has only objects that are valid against the Kubernetes schemas", async () => {
    assert.ok(manifests.length >= 20, `${manifests.length} objects`);
    assert.deepEqual(await schemaProblems(manifests), []);
  });

  it("keeps every rule: Deployments, probes, resources, budgets, Services, config references, placeholders", () => {
    assert.deepEqual(kubernetesRuleProblems(manifests, ports).map(formatProblem), []);
  });

  it("lists every manifest in kustomization.yaml with a pinned image", () => {
    const kustomization = readKustomization(K8S_FOLDER, REPO_ROOT);
    assert.deepEqual(kustomizationProblems(kustomization, K8S_FOLDER, REPO_ROOT, files).map(formatProblem), []);
    assert.equal(kustomization.namespace, "gyre");
  });

  it("runs serving with at least 2 replicas behind a gRPC Service, and a Service per gRPC API", () => {
    assert.ok(Number(record(find(manifests, "Deployment", "serving").object.spec).replicas) >= 2);
    for (const { service, grpc } of ports.filter((entry) => entry.grpc)) {
      const servicePorts = list(record(find(manifests, "Service", service).object.spec).ports).map(record);
      assert.deepEqual(
        servicePorts.map((port) => [port.port, port.targetPort]),
        [[grpc?.port, "grpc"]],
        service,
      );
    }
  });

  it("references a 3-replica NATS JetStream cluster that fsyncs every write", () => {
    const values = record(parse(readRepoFile("deploy/k8s/nats/values.yaml")));
    const config = record(values.config);
    assert.deepEqual(record(config.cluster), { enabled: true, replicas: 3 });
    assert.equal(record(config.jetstream).enabled, true);
    assert.equal(record(record(config.jetstream).merge).sync_interval, "always");
    const natsUrl = record(find(manifests, "ConfigMap", "gyre-config").object.data).NATS_URL;
    assert.equal(natsUrl, "nats://nats:4222");
  });

  it("renders with kustomize (kubectl kustomize) into the same valid objects, in namespace gyre", async (t) => {
    if (!hasKubectl()) {
      t.skip("kubectl is not installed; the files were validated one by one above");
      return;
    }
    const rendered = renderKustomization(K8S_FOLDER, REPO_ROOT);
    assert.equal(rendered.length, manifests.length);
    assert.deepEqual(await schemaProblems(rendered), []);
    assert.deepEqual(kubernetesRuleProblems(rendered, ports).map(formatProblem), []);
    for (const { object } of rendered.filter((manifest) => manifest.object.kind !== "Namespace")) {
      assert.equal(record(object.metadata).namespace, "gyre");
    }
    assert.match(
      String(container(find(rendered, "Deployment", "trainer").object).image),
      /^ghcr\.io\/example\/gyre:0\.1\.0$/,
    );
  });

  describe("a broken copy fails", () => {
    it("on a field of the wrong type (Kubernetes schema)", async () => {
      const copy = edited("Deployment", "serving", (object) => {
        record(object.spec).replicas = "two";
        record(list(container(object).ports)[0]).containerPort = "9466";
      });
      assert.deepEqual((await schemaProblems(copy)).sort(), [
        "deploy/k8s/services/serving.yaml Deployment/serving.spec.replicas: must be integer",
        "deploy/k8s/services/serving.yaml Deployment/serving.spec.template.spec.containers.0.ports.0.containerPort: must be integer",
      ]);
    });

    it("on a missing required field, and an unknown kind", async () => {
      const missing = edited("Deployment", "registry", (object) => {
        delete record(object.spec).selector;
      });
      assert.ok(
        (await schemaProblems(missing)).includes(
          "deploy/k8s/services/registry.yaml Deployment/registry.spec: must have required property selector",
        ),
      );
      const [unknown] = parseManifests("x.yaml", "apiVersion: apps/v1\nkind: Deployent\nmetadata: {name: x}\n");
      assert.ok(unknown);
      assert.deepEqual(await kubernetesSchemaProblems(unknown), [
        { file: "x.yaml", at: "Deployent/x", message: "no Kubernetes schema for apps/v1 Deployent" },
      ]);
    });

    it("when serving drops to one replica", () => {
      const copy = edited("Deployment", "serving", (object) => {
        record(object.spec).replicas = 1;
      });
      const problems = kubernetesRuleProblems(copy, ports).map(formatProblem);
      assert.ok(
        problems.includes(
          "deploy/k8s/services/serving.yaml Deployment/serving.spec.replicas: 1: serving runs at least 2 replicas",
        ),
        problems.join("\n"),
      );
      assert.ok(
        problems.some((problem) => problem.includes("minAvailable >= replicas (1) blocks every node drain")),
        problems.join("\n"),
      );
    });

    it("when a Deployment loses a probe or its limits", () => {
      const copy = edited("Deployment", "trainer", (object) => {
        delete container(object).readinessProbe;
        delete record(container(object).resources).limits;
      });
      const problems = kubernetesRuleProblems(copy, ports).map(formatProblem);
      assert.ok(
        problems.includes(
          "deploy/k8s/services/trainer.yaml Deployment/trainer.containers.trainer.readinessProbe: expected an httpGet of /readyz",
        ),
        problems.join("\n"),
      );
      assert.ok(
        problems.includes(
          "deploy/k8s/services/trainer.yaml Deployment/trainer.containers.trainer.resources: set requests and limits of memory",
        ),
        problems.join("\n"),
      );
    });

    it("when a probe targets a port other than the metrics port", () => {
      const copy = edited("Deployment", "monitoring", (object) => {
        record(record(container(object).livenessProbe).httpGet).port = "grpc";
      });
      const problems = kubernetesRuleProblems(copy, ports).map(formatProblem);
      assert.ok(
        problems.includes(
          "deploy/k8s/services/monitoring.yaml Deployment/monitoring.containers.monitoring.livenessProbe: expected the metrics port 9467",
        ),
      );
    });

    it("when a Service selects no pods or a referenced Secret is missing", () => {
      const copy = edited("Service", "registry", (object) => {
        record(object.spec).selector = { "app.kubernetes.io/name": "registy" };
      });
      assert.ok(
        kubernetesRuleProblems(copy, ports)
          .map(formatProblem)
          .includes("deploy/k8s/services/registry.yaml Service/registry: its selector matches no Deployment's pods"),
      );
      const withoutSecret = manifests.filter(
        (manifest) => record(manifest.object.metadata).name !== "gyre-nats-serving",
      );
      assert.ok(
        kubernetesRuleProblems(withoutSecret, ports)
          .map(formatProblem)
          .includes(
            'deploy/k8s/services/serving.yaml Deployment/serving.containers.serving.envFrom: no Secret "gyre-nats-serving"',
          ),
      );
    });

    it("when a Secret holds something other than a placeholder", () => {
      const copy = edited("Secret", "gyre-secrets", (object) => {
        record(object.stringData).DATABASE_URL = "postgres://gyre:hunter2@db:5432/gyre";
        record(object.stringData).S3_SECRET_KEY = "wJalrXUtnFEMI";
      });
      const problems = kubernetesRuleProblems(copy, ports).map(formatProblem);
      assert.deepEqual(problems, [
        "deploy/k8s/secrets.yaml Secret/gyre-secrets.DATABASE_URL: only placeholders (CHANGE-ME) belong in the repository",
        "deploy/k8s/secrets.yaml Secret/gyre-secrets.S3_SECRET_KEY: only placeholders (CHANGE-ME) belong in the repository",
      ]);
    });

    it("when a gRPC address in the ConfigMap names no Service", () => {
      const copy = edited("ConfigMap", "gyre-config", (object) => {
        record(object.data).REGISTRY_GRPC_ADDR = "registry:50052";
      });
      assert.deepEqual(kubernetesRuleProblems(copy, ports).map(formatProblem), [
        "deploy/k8s/config.yaml ConfigMap/gyre-config.data.REGISTRY_GRPC_ADDR: registry:50052: no Service with that name and port",
      ]);
    });

    it("when kustomization.yaml leaves a manifest out", () => {
      const kustomization = readKustomization(K8S_FOLDER, REPO_ROOT);
      const partial = {
        ...kustomization,
        resources: kustomization.resources.filter((file) => file !== "services/monitoring.yaml"),
      };
      assert.deepEqual(kustomizationProblems(partial, K8S_FOLDER, REPO_ROOT, files).map(formatProblem), [
        "deploy/k8s/kustomization.yaml resources: deploy/k8s/services/monitoring.yaml holds Kubernetes objects but is not listed",
      ]);
    });
  });
});

describe("Kubernetes quantities", () => {
  const cases: [string, number | undefined][] = [
    ["100m", 0.1],
    ["2", 2],
    ["256Mi", 256 * 2 ** 20],
    ["1Gi", 2 ** 30],
    ["1G", 1e9],
    ["lots", undefined],
  ];
  for (const [text, value] of cases) {
    it(`reads ${text} as ${value}`, () => assert.equal(quantity(text), value));
  }
});
