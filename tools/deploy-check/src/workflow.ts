import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { parse } from "yaml";
import { list, type Problem, record } from "./problem.ts";

/** Problems GitHub itself would report for a workflow file, from its own parser and workflow schema. */
export async function workflowSchemaProblems(file: string, content: string): Promise<Problem[]> {
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const messages = parsed.context.errors.getErrors().map((error) => error.message);
  if (messages.length === 0 && parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    messages.push(...(template.errors ?? []).map((error) => error.Message));
  }
  return messages.map((message) => ({ file, at: "", message: message.replace(`${file} `, "") }));
}

/**
 * The CI for forks runs what the project's CI runs: `bash .ci/run` on Node from .nvmrc, with Go, and PostgreSQL of
 * the same image as docker-compose (service images cannot read .env, so the two are compared here).
 */
export function ciWorkflowProblems(file: string, content: string, variables: ReadonlyMap<string, string>): Problem[] {
  const problems: Problem[] = [];
  const jobs = record(record(parse(content)).jobs);
  const steps = Object.values(jobs).flatMap((job) => list(record(job).steps).map(record));
  const add = (at: string, message: string) => problems.push({ file, at, message });
  if (!steps.some((step) => /^bash \.ci\/run$/m.test(String(step.run ?? "")))) add("jobs", "no step runs bash .ci/run");
  const setupNode = steps.find((step) => String(step.uses ?? "").startsWith("actions/setup-node@"));
  if (record(setupNode?.with)["node-version-file"] !== ".nvmrc") add("jobs", "set up Node from .nvmrc");
  if (!steps.some((step) => String(step.uses ?? "").startsWith("actions/setup-go@")))
    add("jobs", "set up Go (deploy/local builds from Go modules)");
  const images = Object.entries(jobs).flatMap(([name, job]) =>
    Object.entries(record(record(job).services)).map(([service, value]) => ({
      at: `jobs.${name}.services.${service}`,
      image: record(value).image,
    })),
  );
  for (const { at, image } of images) {
    const expected = [...variables.values()].find((value) => value.split(":")[0] === String(image).split(":")[0]);
    if (expected !== image) add(`${at}.image`, `${String(image)}: .env pins ${expected ?? "no such image"}`);
  }
  if (!images.some(({ image }) => String(image).startsWith("postgres:"))) add("jobs", "no PostgreSQL service");
  return problems;
}
