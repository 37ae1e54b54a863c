// The `topdeck` command's entry point (bin/topdeck.js imports the built copy; dev: `npx tsx tools/cli.ts`).
import { runCli } from "./cli-commands.js";

process.exitCode = await runCli(process.argv.slice(2));
