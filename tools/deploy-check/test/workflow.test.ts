import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatProblem } from "../src/problem.ts";
import { composeVariables, readRepoFile } from "../src/repository.ts";
import { ciWorkflowProblems, workflowSchemaProblems } from "../src/workflow.ts";

const FILE = ".github/workflows/ci.yml";
const workflow = readRepoFile(FILE);
const variables = composeVariables();

describe(".github/workflows/ci.yml", () => {
  it("is a valid workflow for GitHub's own parser", async () => {
    assert.deepEqual((await workflowSchemaProblems(FILE, workflow)).map(formatProblem), []);
  });

  it("runs .ci/run on Node from .nvmrc with Go, against PostgreSQL of the image .env pins", () => {
    assert.deepEqual(ciWorkflowProblems(FILE, workflow, variables).map(formatProblem), []);
  });

  it("starts NATS from the image and nats.conf of docker-compose (JetStream, fsync always)", () => {
    assert.match(workflow, /"\$NATS_IMAGE" -c \/etc\/nats\/nats\.conf/);
    assert.match(workflow, /deploy\/compose\/nats\.conf:\/etc\/nats\/nats\.conf:ro/);
  });

  describe("a broken copy fails", () => {
    it("on a misspelt key and a value of the wrong type", async () => {
      const broken = workflow.replace(
        "    runs-on: ubuntu-24.04\n    timeout-minutes: 90",
        "    runs_on: ubuntu-24.04\n    timeout-minutes: ninety",
      );
      assert.notEqual(broken, workflow);
      const problems = (await workflowSchemaProblems(FILE, broken)).map((problem) =>
        problem.message.replace(/^\(Line: \d+, Col: \d+\): /, ""),
      );
      assert.deepEqual(problems.sort(), [
        "Required property is missing: runs-on",
        "Unexpected value 'ninety'",
        "Unexpected value 'runs_on'",
      ]);
    });

    it("when it no longer runs .ci/run, or its PostgreSQL drifts from .env", () => {
      const broken = workflow
        .replace("run: bash .ci/run", "run: npm test")
        .replace("image: postgres:17.6-alpine", "image: postgres:16-alpine");
      assert.deepEqual(ciWorkflowProblems(FILE, broken, variables).map(formatProblem), [
        `${FILE} jobs: no step runs bash .ci/run`,
        `${FILE} jobs.test.services.postgres.image: postgres:16-alpine: .env pins postgres:17.6-alpine`,
      ]);
    });
  });
});
