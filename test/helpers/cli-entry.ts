// Runs the CLI from source for tests, exactly as bin/trailwatch.js runs it from dist/bundle/.
import { main } from "../../src/cli/main.ts";

process.exitCode = await main(process.argv.slice(2));
