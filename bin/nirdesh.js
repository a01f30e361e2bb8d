#!/usr/bin/env node
// The `nirdesh` command: runs the compiled command line (npm install builds it into dist/).
import { main } from "../dist/cli/main.js";

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: Date.now,
});
process.exitCode = code;
