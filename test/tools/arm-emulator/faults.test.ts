import { describe, expect, it } from "vitest";

import { createFaultDrawer, mulberry32 } from "../../../tools/arm-emulator/faults.js";
import { faultKinds } from "../../../tools/arm-emulator/types.js";

const draws = (drawer: () => unknown, n: number): unknown[] => Array.from({ length: n }, drawer);

describe("fault drawing", () => {
  it("mulberry32 repeats for a seed and differs between seeds", () => {
    const a = draws(mulberry32(42), 5);
    expect(draws(mulberry32(42), 5)).toEqual(a);
    expect(draws(mulberry32(43), 5)).not.toEqual(a);
    for (const x of a) expect(x).toSatisfy((v: number) => v >= 0 && v < 1);
  });

  it("gives the same fault sequence for the same seed", () => {
    const seq = draws(createFaultDrawer({ rate: 0.3, seed: 9 }), 200);
    expect(draws(createFaultDrawer({ rate: 0.3, seed: 9 }), 200)).toEqual(seq);
    expect(draws(createFaultDrawer({ rate: 0.3, seed: 10 }), 200)).not.toEqual(seq);
  });

  it("injects at about the given rate, over every kind", () => {
    const seq = draws(createFaultDrawer({ rate: 0.25, seed: 1 }), 4000);
    const faults = seq.filter((f) => f !== undefined);
    expect(faults.length / seq.length).toBeGreaterThan(0.22);
    expect(faults.length / seq.length).toBeLessThan(0.28);
    expect(new Set(faults)).toEqual(new Set(faultKinds));
  });

  it("draws only the given kinds, and nothing at rate 0", () => {
    const only = draws(createFaultDrawer({ rate: 1, seed: 5, kinds: ["stall", "unavailable"] }), 100);
    expect(new Set(only)).toEqual(new Set(["stall", "unavailable"]));
    expect(draws(createFaultDrawer({ rate: 0, seed: 5 }), 100).every((f) => f === undefined)).toBe(true);
  });
});
