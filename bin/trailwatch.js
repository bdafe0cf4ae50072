#!/usr/bin/env node
// Entry point: the CLI bundled into dist/bundle/ (scripts/build.ts, run by `npm ci` through the prepare script).
import { main } from "../dist/bundle/main.js";

process.exitCode = await main(process.argv.slice(2));
