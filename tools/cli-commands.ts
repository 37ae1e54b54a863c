/** One `topdeck` subcommand: loaded only when run, so `topdeck --help` stays fast. */
export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  run: (args: string[]) => Promise<number>;
}

/** The commands that work today; discover, serve and demo join this table as they are built. */
export const cliCommands: readonly CliCommand[] = [
  {
    name: "emulator",
    summary: "serve an estate file over HTTPS as Azure Resource Manager does",
    run: async (args) => (await import("./arm-emulator/command.js")).emulatorCommand(args),
  },
  {
    name: "discover",
    summary: "discover an Azure estate (or an emulated one) and write its export",
    run: async (args) => (await import("./discover-command.js")).discoverCommand(args),
  },
  {
    name: "serve",
    summary: "serve the HTTP API on 127.0.0.1 (optionally after discovering an estate file)",
    run: async (args) => (await import("./serve-command.js")).serveCommand(args),
  },
  {
    name: "demo",
    summary: "discover the bundled sample estate through the ARM emulator and show where to look",
    run: async (args) => (await import("./demo-command.js")).demoCommand(args),
  },
  {
    name: "bridge",
    summary: "serve the Upstash REST protocol over a redis-server, for a persistent local store",
    run: async (args) => (await import("./bridge-command.js")).bridgeCommand(args),
  },
  {
    name: "impact",
    summary: "what is down, degraded or unknown if one resource fails, over an export file",
    run: async (args) => (await import("./failure-command.js")).impactCommand(args),
  },
  {
    name: "scenario",
    summary: "what is down, degraded or unknown when resources, zones or regions fail, over an export file",
    run: async (args) => (await import("./failure-command.js")).scenarioCommand(args),
  },
  {
    name: "devops-emulator",
    summary: "serve an Azure DevOps organisation file over HTTPS as Azure DevOps does",
    run: async (args) => (await import("./devops-emulator/command.js")).devopsEmulatorCommand(args),
  },
];

/** The top-level usage text, listing every command in the table. */
export function cliUsage(commands: readonly CliCommand[] = cliCommands): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: topdeck <command> [flags]\n\nCommands:\n${lines.join("\n")}\n\nRun 'topdeck <command> --help' for a command's flags.\n`;
}

/** Where the dispatcher writes its own messages. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Runs `topdeck <command> ...args`. @returns the command's exit code; 0 for `--help`, 2 with the
 * usage on stderr for no command or an unknown one.
 */
export async function runCli(args: string[], commands: readonly CliCommand[] = cliCommands, io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout(cliUsage(commands));
    return 0;
  }
  if (name === undefined) {
    io.stderr(cliUsage(commands));
    return 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`topdeck: unknown command '${name}'\n\n${cliUsage(commands)}`);
    return 2;
  }
  return command.run(rest);
}
