/** `--name N` from a benchmark's arguments: a positive integer, `fallback` when absent. @throws Error naming the flag otherwise */
export function intFlag(args: string[], name: string, fallback: number): number {
  const v = numberFlag(args, name, fallback);
  if (!Number.isInteger(v)) throw new Error(`--${name} expects a positive integer`);
  return v;
}

/** `--name N` from a benchmark's arguments: a positive number, `fallback` when absent. @throws Error naming the flag otherwise */
export function numberFlag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} expects a positive number`);
  return v;
}
