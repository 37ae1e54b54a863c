/** Where a long-running command (an emulator, the bridge) writes, and when it stops. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves when the command should stop serving. @default the first SIGINT or SIGTERM */
  waitForStop: () => Promise<void>;
}

/** The process's own streams, stopping at the first SIGINT or SIGTERM. */
export const processCommandIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  waitForStop: () =>
    new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    }),
};
