import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The page: Preact with the automatic JSX runtime, every asset bundled (no CDN), written to tools/console/dist.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../dist", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1000,
  },
});
