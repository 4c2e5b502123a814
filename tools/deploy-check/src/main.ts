/**
 * `npm run check -w @gyre/deploy-check`: every offline check of the deployment files and the docs at once, one line per
 * problem, exit 1 when there is any. The tests in ../test run the same checks and their broken-copy cases.
 */
import { REPO_ROOT } from "@gyre/service";
import { composeSchemaProblems, loadCompose } from "./composeFile.ts";
import { composeRuleProblems, natsConfProblems } from "./composeRules.ts";
import { documentationProblems } from "./docs.ts";
import { imageProblems } from "./imageRules.ts";
import { kubernetesRuleProblems } from "./k8sRules.ts";
import { kubernetesSchemaProblems, readManifests } from "./k8sSchema.ts";
import { hasKubectl, kustomizationProblems, readKustomization, renderKustomization } from "./kustomization.ts";
import { formatProblem, type Problem } from "./problem.ts";
import { composeVariables, imageInputs, K8S_FOLDER, kubernetesManifestFiles, readRepoFile } from "./repository.ts";
import { servicePorts } from "./serviceDefaults.ts";
import { ciWorkflowProblems, workflowSchemaProblems } from "./workflow.ts";

const variables = composeVariables();
const ports = servicePorts();
const compose = loadCompose("docker-compose.yml", readRepoFile("docker-compose.yml"), variables);
const files = kubernetesManifestFiles();
const manifests = readManifests(files, REPO_ROOT);
const rendered = hasKubectl() ? renderKustomization(K8S_FOLDER, REPO_ROOT) : [];
const workflow = readRepoFile(".github/workflows/ci.yml");

const problems: Problem[] = [
  ...imageProblems(imageInputs()),
  ...compose.problems,
  ...composeSchemaProblems(compose.file, compose.resolved),
  ...composeRuleProblems(compose, variables, ports),
  ...natsConfProblems("deploy/compose/nats.conf", readRepoFile("deploy/compose/nats.conf")),
  ...(await Promise.all([...manifests, ...rendered].map((manifest) => kubernetesSchemaProblems(manifest)))).flat(),
  ...kubernetesRuleProblems(manifests, ports),
  ...kustomizationProblems(readKustomization(K8S_FOLDER, REPO_ROOT), K8S_FOLDER, REPO_ROOT, files),
  ...(await workflowSchemaProblems(".github/workflows/ci.yml", workflow)),
  ...ciWorkflowProblems(".github/workflows/ci.yml", workflow, variables),
  ...documentationProblems(REPO_ROOT),
];
for (const problem of problems) console.log(formatProblem(problem));
console.log(
  `${problems.length} problems: Dockerfile, docker-compose.yml, ${manifests.length} Kubernetes objects` +
    `${rendered.length > 0 ? " (and kustomize's rendering)" : " (kubectl not found: not rendered)"}, ci.yml, README.md and docs/`,
);
process.exit(problems.length > 0 ? 1 : 0);
