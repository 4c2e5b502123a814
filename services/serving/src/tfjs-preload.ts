import { createRequire } from "node:module";

// tfjs's CommonJS bundles ship large source maps. With source maps on (tsx turns them on), Node parses and keeps
// them once a stack trace passes through a bundle, which happens while they load (require hooks resolve through
// Error stacks): about 110 MB of heap for nothing serving uses. Loaded here with maps off, first thing in main.ts,
// they are cached without their maps; Gyre's own TypeScript keeps mapped stack traces.
const require = createRequire(import.meta.url);
process.setSourceMapsEnabled(false);
require("@tensorflow/tfjs");
require("@tensorflow/tfjs-backend-wasm");
process.setSourceMapsEnabled(true);
