// @mirrordeck/mm2-interchange: mm2.properties in and out of MirrorDeck (pure, no I/O).

export { Mm2InterchangeError, type Mm2InterchangeErrorCode } from "./errors.ts";
export {
  ENV_CONFIG_PROVIDER_CLASS,
  type ExportCluster,
  type ExportOptions,
  type ExportTopology,
  exportMm2Properties,
} from "./export.ts";
export {
  type ExistingTopology,
  type IgnoredKey,
  type ImportIssue,
  type ImportIssueCode,
  type ImportPlan,
  type PlannedCluster,
  type PlannedFlow,
  planMm2Import,
} from "./import.ts";
export { passwordEnvVar } from "./placeholders.ts";
