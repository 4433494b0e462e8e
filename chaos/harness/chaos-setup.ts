// vitest globalSetup of the `chaos` project: the local stack as for integration tests, an empty
// report before, the report table after.
import integrationSetup from "../../scripts/test-support/integration-setup.ts";
import { chaosReportMarkdown, chaosReportTable, resetChaosReport } from "./chaos-report.ts";

export default async function chaosSetup(): Promise<() => void> {
  resetChaosReport();
  await integrationSetup();
  return () => {
    const table = chaosReportTable();
    if (table) console.log(`\nChaos report (${chaosReportMarkdown}):\n${table}\n`);
  };
}
