/** Wall time per scenario over a test file's runs, printed once at the end of the file. */
export class Timings {
  private readonly byScenario = new Map<
    string,
    { runs: number; wallMs: number; wallMsMax: number }
  >();

  add(scenario: string, wallMs: number): void {
    const row = this.byScenario.get(scenario) ?? { runs: 0, wallMs: 0, wallMsMax: 0 };
    row.runs += 1;
    row.wallMs += wallMs;
    row.wallMsMax = Math.max(row.wallMsMax, wallMs);
    this.byScenario.set(scenario, row);
  }

  print(title: string): void {
    const lines = [...this.byScenario].map(
      ([scenario, row]) =>
        `  ${scenario.padEnd(40)} ${String(row.runs).padStart(3)} runs  ${(row.wallMs / 1000).toFixed(1).padStart(6)} s  (max ${Math.round(row.wallMsMax)} ms)`,
    );
    console.log(`${title}\n${lines.join('\n')}`);
  }
}
