import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "@gyre/service";
import {
  ARCHITECTURE_DOC,
  brokenLinks,
  headingAnchor,
  outsideDesignReferences,
  readmeProblems,
  repositoryTextFiles,
} from "../src/docs.ts";
import { formatProblem } from "../src/problem.ts";
import { readRepoFile } from "../src/repository.ts";

const exists = (path: string) => existsSync(join(REPO_ROOT, path));
const readme = { path: "README.md", text: readRepoFile("README.md") };
// Written with escapes so that this file does not itself refer to the folders it forbids.
const UP_SHARED = "..\u002fshared";
const WORK_SHARED = "\u002fwork\u002fshared";

describe("documentation", () => {
  it("README.md has at most 200 lines, links docs/architecture.md, and every relative link and anchor resolves", () => {
    assert.ok(exists(ARCHITECTURE_DOC), `${ARCHITECTURE_DOC} is missing`);
    assert.deepEqual(readmeProblems(readme, exists, readRepoFile).map(formatProblem), []);
  });

  it("every relative link in docs/ points at a file that exists", () => {
    const docs = repositoryTextFiles(REPO_ROOT).filter((file) => /^docs\/[^/]+\.md$/.test(file.path));
    assert.ok(docs.some((file) => file.path === ARCHITECTURE_DOC));
    assert.deepEqual(docs.flatMap((file) => brokenLinks(file, exists)).map(formatProblem), []);
  });

  it("no file of the repository refers to a design document outside it", () => {
    const files = repositoryTextFiles(REPO_ROOT);
    assert.ok(files.some((file) => file.path === "README.md") && files.length > 100, "the file listing is incomplete");
    assert.deepEqual(outsideDesignReferences(files).map(formatProblem), []);
  });

  it("names GitHub's heading anchors", () => {
    assert.equal(headingAnchor("The demo (`npm start`)"), "the-demo-npm-start");
    assert.equal(headingAnchor("The fault test: `npm run reliability`"), "the-fault-test-npm-run-reliability");
    assert.equal(
      headingAnchor("Observability: one batch's trace in Jaeger"),
      "observability-one-batchs-trace-in-jaeger",
    );
  });

  describe("a broken copy fails", () => {
    it("when the README grows past 200 lines and drops the link to the design", () => {
      const long = readme.text.replaceAll(`(${ARCHITECTURE_DOC}`, "(docs/operations.md") + "filler\n".repeat(200);
      const messages = readmeProblems({ path: "README.md", text: long }, exists, readRepoFile)
        .filter((problem) => problem.at === "")
        .map(formatProblem);
      assert.equal(messages.length, 2);
      assert.match(messages[0] as string, /^README\.md: \d+ lines, at most 200: move reference and measurements/);
      assert.equal(messages[1], "README.md: no link to docs/architecture.md, the design");
    });

    it("on a link to a missing file, a missing anchor, and a link out of the repository", () => {
      const text = [
        "[design](docs/architecture.md)",
        "see [nowhere](docs/nowhere.md) and [the demo](docs/operations.md#the-demo-npm-stop)",
        "and [up](../README.md), but [web](https://example.com/x.md) and [here](#gyre) are not checked",
      ].join("\n");
      assert.deepEqual(readmeProblems({ path: "README.md", text }, exists, readRepoFile).map(formatProblem), [
        "README.md line 2: link docs/nowhere.md: docs/nowhere.md does not exist",
        "README.md line 2: link docs/operations.md#the-demo-npm-stop: docs/operations.md has no heading with the anchor #the-demo-npm-stop",
        "README.md line 3: link ../README.md leaves the repository",
      ]);
    });

    it("on a reference to the design outside the repository, in code or prose", () => {
      const files = [
        { path: "services/x/src/a.ts", text: `const a = 1;\n// contracts: see ${UP_SHARED}/ARCHITECTURE.md\n` },
        { path: "scripts/b.sh", text: `cat ${WORK_SHARED}/CONVENTIONS.md\n` },
        { path: "docs/c.md", text: "the design is in docs/architecture.md; shared libraries are in libs/\n" },
      ];
      assert.deepEqual(outsideDesignReferences(files).map(formatProblem), [
        `services/x/src/a.ts line 2: refers to ${UP_SHARED}, outside the repository: point to docs/architecture.md instead`,
        `scripts/b.sh line 1: refers to ${WORK_SHARED}, outside the repository: point to docs/architecture.md instead`,
      ]);
    });
  });
});
