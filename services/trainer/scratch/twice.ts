import { selectBackend } from "../src/backend.ts";
console.log(await selectBackend());
console.log(await selectBackend());
console.log(await selectBackend("cpu"));
console.log(await selectBackend("wasm"));
try { await selectBackend("gpu"); } catch (e) { console.log(String(e)); }
