import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { NATS_ACCOUNTS, natsPermissions, natsProducerPermissions, REPO_ROOT } from "@gyre/service";
import { parse as parseYaml } from "yaml";
import { COMPOSE_NATS_CONF, deployProblems, K8S_NATS_VALUES, PRODUCERS_FILE, readProducers } from "../deployConfig.ts";

const readRepoFile = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");

function readWith(changes: Record<string, (text: string) => string>) {
  return (path: string) => (changes[path] ?? ((text: string) => text))(readRepoFile(path));
}

describe("NATS deploy configuration (scripts/nats-auth.ts)", () => {
  test("the committed files are the generated ones and hand every account its user", () => {
    assert.deepEqual(deployProblems(readRepoFile), []);
  });

  test("a hand-edited permission in nats.conf is reported", () => {
    const problems = deployProblems(
      readWith({ [COMPOSE_NATS_CONF]: (text) => text.replace('"gyre.data.ingested.*",', '"gyre.>",') }),
    );
    assert.deepEqual(
      problems.map((problem) => problem.file),
      [COMPOSE_NATS_CONF],
    );
  });

  test("a compose service without its NATS user is reported", () => {
    const problems = deployProblems(
      readWith({ "docker-compose.yml": (text) => text.replace("NATS_USER: registry\n", "NATS_USER: trainer\n") }),
    );
    assert.deepEqual(problems, [
      { file: "docker-compose.yml", message: "services.registry.environment.NATS_USER: expected registry" },
    ]);
  });

  test("a missing account Secret is reported", () => {
    const problems = deployProblems(
      readWith({ "deploy/k8s/secrets.yaml": (text) => text.replace("name: gyre-nats-serving", "name: gyre-nats-x") }),
    );
    assert.deepEqual(problems, [{ file: "deploy/k8s/secrets.yaml", message: "no Secret gyre-nats-serving" }]);
  });

  test("a producer added to deploy/producers.yaml without its Secret and compose password is reported", () => {
    const problems = deployProblems(
      readWith({ [PRODUCERS_FILE]: (text) => `${text}  lab:\n    datasets: [weather]\n` }),
    );
    assert.deepEqual(problems, [
      {
        file: COMPOSE_NATS_CONF,
        message: "differs from the generated file: run `node --import tsx scripts/nats-auth.ts` and commit",
      },
      {
        file: K8S_NATS_VALUES,
        message: "differs from the generated file: run `node --import tsx scripts/nats-auth.ts` and commit",
      },
      {
        file: "docker-compose.yml",
        message: `services.nats.environment.PRODUCER_LAB_NATS_PASSWORD: expected \${PRODUCER_LAB_NATS_PASSWORD...}`,
      },
      { file: "deploy/k8s/secrets.yaml", message: "no Secret gyre-nats-producer-lab" },
    ]);
  });

  test("a producer without datasets or with a bad dataset name is reported, naming the value", () => {
    assert.deepEqual(deployProblems(readWith({ [PRODUCERS_FILE]: (text) => `${text}  lab:\n    datasets: []\n` })), [
      {
        file: PRODUCERS_FILE,
        message: `${PRODUCERS_FILE}: producers.lab.datasets: expected a non-empty list of dataset names, got []`,
      },
    ]);
    assert.match(
      deployProblems(readWith({ [PRODUCERS_FILE]: (text) => `${text}  lab:\n    datasets: [Bad Name]\n` }))[0]
        ?.message ?? "",
      /producers\.lab\.datasets: "Bad Name" is not a dataset name/,
    );
  });

  test("the Helm values give each account exactly its permissions and its Secret's password", () => {
    const values = parseYaml(readRepoFile(K8S_NATS_VALUES)) as {
      config: { merge: { authorization: { users: { user: string; password: string; permissions: unknown }[] } } };
      container: { env: Record<string, { valueFrom: { secretKeyRef: { name: string; key: string } } }> };
    };
    const users = values.config.merge.authorization.users;
    const producers = readProducers(readRepoFile);
    assert.ok(producers.length > 0, `${PRODUCERS_FILE} names no producer`);
    assert.deepEqual(
      users.map((user) => user.user),
      [...NATS_ACCOUNTS, ...producers.map((producer) => `producer-${producer.name}`)],
    );
    for (const user of users) {
      const producer = producers.find((candidate) => `producer-${candidate.name}` === user.user);
      const expected = producer
        ? natsProducerPermissions("gyre", producer)
        : natsPermissions("gyre", user.user as (typeof NATS_ACCOUNTS)[number]);
      assert.deepEqual(user.permissions, {
        publish: { allow: expected.publish },
        subscribe: { allow: expected.subscribe },
      });
      const variable = /^<< \$([A-Z_]+) >>$/.exec(user.password)?.[1];
      assert.ok(variable, `${user.user}: password ${user.password}`);
      assert.deepEqual(values.container.env[variable]?.valueFrom.secretKeyRef, {
        name: `gyre-nats-${user.user}`,
        key: "NATS_PASSWORD",
      });
    }
  });
});
