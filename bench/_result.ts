/** Prints the closing `RESULT <name> key=value ...` line every benchmark ends with. */
export function printResult(name: string, figures: Record<string, number | string>): void {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${typeof v === "number" ? round(v) : v}`);
  process.stdout.write(`RESULT ${name} ${parts.join(" ")}\n`);
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 1 : 3);
}
