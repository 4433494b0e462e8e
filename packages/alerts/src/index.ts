export {
  breaches,
  type Evaluation,
  evaluateRule,
  type Observed,
  type RuleSettings,
  type RuleState,
} from "./evaluate-rule.ts";
export { describeAlert, webhookBody } from "./notification.ts";
export { type FlowObservation, observe, observedValue } from "./observe-flow.ts";
