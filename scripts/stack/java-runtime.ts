// Locate `java` (JAVA_HOME first, then PATH) and check it is recent enough for the Kafka major.
import path from "node:path";
import { CommandNotFoundError, runCommand } from "./run-command.ts";
import { StackError } from "./stack-error.ts";

export interface JavaRuntime {
  executable: string;
  /** Feature release, e.g. 17. */
  feature: number;
  versionLine: string;
}

const INSTALL_HINT = "install it with: apt-get install -y openjdk-17-jre-headless";

export async function requireJava(kafkaMajor: number, env = process.env): Promise<JavaRuntime> {
  const javaHome = env.JAVA_HOME?.trim();
  const executable = javaHome ? path.join(javaHome, "bin", "java") : "java";
  let output: string;
  try {
    ({ output } = await runCommand(executable, ["-version"]));
  } catch (error) {
    if (error instanceof CommandNotFoundError) {
      throw new StackError(
        `Java is required to run Kafka brokers but ${executable} was not found; ${INSTALL_HINT}`,
      );
    }
    throw error;
  }
  // `openjdk version "17.0.15" 2025-04-15` or `java version "1.8.0_412"`.
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(output);
  if (!match) throw new StackError(`cannot parse the output of \`${executable} -version\`:\n${output}`);
  const first = Number(match[1]);
  const feature = first === 1 ? Number(match[2]) : first;
  const needed = kafkaMajor >= 4 ? 17 : 8;
  const versionLine = output.split("\n")[0]?.trim() ?? "";
  if (feature < needed) {
    throw new StackError(
      `Kafka ${kafkaMajor}.x brokers need Java ${needed}+, but ${executable} is ${versionLine}; ${INSTALL_HINT}`,
    );
  }
  return { executable, feature, versionLine };
}
