import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Integration files share two brokers. Files that stop or kill a broker run last, so that a
 * broker still recovering its logs (a hard kill replays them) never slows the files after it.
 */
export class BrokerOutageLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const disruptive = (f: TestSpecification) => f.moduleId.includes("broker-restart");
    return [...sorted.filter((f) => !disruptive(f)), ...sorted.filter(disruptive)];
  }
}
