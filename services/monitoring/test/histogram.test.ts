import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { categoricalHistograms, histogram, numericHistograms, sharedBinEdges } from "../src/histogram.ts";
import { histogramCases } from "./reference/histogramCases.ts";
import { assertClose, sampleOf } from "./referenceInputs.ts";

describe("shared histogram bins match numpy.histogram_bin_edges and numpy.histogram", () => {
  for (const testCase of histogramCases) {
    test(testCase.name, () => {
      const reference = sampleOf(testCase.reference);
      const current = sampleOf(testCase.current);
      const edges = sharedBinEdges(reference, current, testCase.bins);
      assert.equal(edges.length, testCase.edges.length);
      for (const [index, edge] of edges.entries())
        assertClose(edge, testCase.edges[index] as number, `edge ${index}`, 1e-12);
      // Count on numpy's edges, so a last-bit difference in an edge cannot move a value between bins.
      assert.deepEqual(histogram(reference, testCase.edges, "reference").counts, testCase.referenceCounts);
      assert.deepEqual(histogram(current, testCase.edges, "current").counts, testCase.currentCounts);
    });
  }
});

describe("histograms for the report", () => {
  test("numeric: shares are counts over the sample size, on edges both samples share", () => {
    const result = numericHistograms([0, 1, 2, 3], [2, 3, 4, 4, 4, 6, 8, 8], 4);
    assert.deepEqual(result, {
      edges: [0, 2, 4, 6, 8],
      reference: { counts: [2, 2, 0, 0], shares: [0.5, 0.5, 0, 0] },
      current: { counts: [0, 2, 3, 3], shares: [0, 0.25, 0.375, 0.375] },
    });
  });

  test("values outside the edges are not counted, as in numpy.histogram", () => {
    assert.deepEqual(histogram([-1, 0, 0.5, 1, 2], [0, 0.5, 1], "current").counts, [1, 2]);
  });

  test("categorical: counts and shares over the union of categories", () => {
    const result = categoricalHistograms(
      new Map([
        ["sun", 6],
        ["rain", 4],
      ]),
      new Map([
        ["snow", 1],
        ["sun", 3],
      ]),
    );
    assert.deepEqual(result, {
      categories: ["rain", "snow", "sun"],
      reference: { counts: [4, 0, 6], shares: [0.4, 0, 0.6] },
      current: { counts: [0, 1, 3], shares: [0, 0.25, 0.75] },
    });
  });
});
