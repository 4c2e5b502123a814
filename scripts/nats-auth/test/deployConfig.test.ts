import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { NATS_ACCOUNTS, natsPermissions, REPO_ROOT } from "@gyre/service";
import { parse as parseYaml } from "yaml";
import { COMPOSE_NATS_CONF, deployProblems, K8S_NATS_VALUES } from "../deployConfig.ts";

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

  test("the Helm values give each account exactly its permissions and its Secret's password", () => {
    const values = parseYaml(readRepoFile(K8S_NATS_VALUES)) as {
      config: { merge: { authorization: { users: { user: string; password: string; permissions: unknown }[] } } };
      container: { env: Record<string, { valueFrom: { secretKeyRef: { name: string; key: string } } }> };
    };
    const users = values.config.merge.authorization.users;
    assert.deepEqual(
      users.map((user) => user.user),
      [...NATS_ACCOUNTS],
    );
    for (const user of users) {
      const expected = natsPermissions("gyre", user.user as (typeof NATS_ACCOUNTS)[number]);
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
