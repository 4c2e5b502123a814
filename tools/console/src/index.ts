export { BUNDLE_DIR, buildBundle, bundleIsStale } from "./bundle.ts";
export { type ConsoleConfig, loadConsoleConfig } from "./config.ts";
export { CONSOLE_ACTOR, type RunningConsole, startConsole } from "./server.ts";
