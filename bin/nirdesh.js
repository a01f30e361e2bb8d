#!/usr/bin/env node
// The `nirdesh` command: runs the compiled command line (npm install builds it into dist/).
import { main } from "../dist/cli/main.js";

// `nirdesh search … | head` closes the pipe early; that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: Date.now,
});
process.exitCode = code;
