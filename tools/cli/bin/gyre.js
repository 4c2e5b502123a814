#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (Gyre has no build step), so `npx gyre …` works after `npm ci`.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
