// Renders the least-privilege NATS users of libs/service/src/nats-permissions.ts, and one per producer of
// deploy/producers.yaml, into the deploy configuration:
//   deploy/compose/nats.conf             the compose server's config, passwords from $<ACCOUNT>_NATS_PASSWORD
//   deploy/k8s/nats/authorization.yaml   Helm values for the NATS chart, passwords from the gyre-nats-<account> Secrets
//   node --import tsx scripts/nats-auth.ts           write (commit the result)
//   node --import tsx scripts/nats-auth.ts --check   exit 1 when a committed file differs, or when docker-compose.yml
//                                                    or deploy/k8s/secrets.yaml do not hand each account its user
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NATS_ACCOUNTS, REPO_ROOT } from "@gyre/service";
import {
  COMPOSE_NATS_CONF,
  composeNatsConf,
  DEPLOY_NAMESPACE,
  deployProblems,
  K8S_NATS_VALUES,
  k8sNatsValues,
  readProducers,
} from "./nats-auth/deployConfig.ts";

const readRepoFile = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");

{
  const mode = process.argv[2];
  if (mode !== undefined && mode !== "--check") {
    console.error(`nats-auth: unknown argument ${JSON.stringify(mode)}: use no argument or --check`);
    process.exit(2);
  }
  if (mode !== "--check") {
    const producers = readProducers(readRepoFile);
    writeFileSync(join(REPO_ROOT, COMPOSE_NATS_CONF), composeNatsConf(producers));
    writeFileSync(join(REPO_ROOT, K8S_NATS_VALUES), k8sNatsValues(producers));
    console.log(`nats-auth: wrote ${COMPOSE_NATS_CONF} and ${K8S_NATS_VALUES} (namespace "${DEPLOY_NAMESPACE}")`);
  }
  const problems = deployProblems(readRepoFile);
  for (const problem of problems) console.error(`nats-auth: ${problem.file}: ${problem.message}`);
  if (problems.length > 0) process.exit(1);
  const producers = readProducers(readRepoFile).length;
  console.log(
    `nats-auth: the NATS deploy configuration is current (${NATS_ACCOUNTS.length} accounts, ${producers} producers)`,
  );
}
