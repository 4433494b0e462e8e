import type { AlertNotification } from "@mirrordeck/contracts";
import { describe, expect, it } from "vitest";
import { describeAlert, webhookBody } from "./notification.ts";

const firing: AlertNotification = {
  status: "firing",
  flowId: "f",
  flowName: "orders east→west",
  ruleId: "r",
  kind: "LAG_RECORDS",
  threshold: 10_000,
  forSeconds: 60,
  value: 12_345,
  summary: "",
  at: "2026-12-04T08:00:00.000Z",
};

describe("alert notifications", () => {
  it("say what crossed which threshold, in words", () => {
    expect(describeAlert(firing)).toBe(
      "orders east→west: lag 12,345 records is above 10,000 records for 60 s or more",
    );
    expect(describeAlert({ ...firing, status: "resolved", value: 12 })).toBe(
      "orders east→west: lag 12 records is back under 10,000 records",
    );
    expect(describeAlert({ ...firing, kind: "TOPIC_DRIFT", threshold: 0, value: 2 })).toBe(
      "orders east→west: more than 0 target topics out of step with their source (2) for 60 s or more",
    );
    expect(
      describeAlert({ ...firing, status: "resolved", kind: "TOPIC_DRIFT", threshold: 0, value: 0 }),
    ).toBe("orders east→west: target topics back in step with their source (0)");
    expect(describeAlert({ ...firing, kind: "FLOW_ERROR", threshold: null, value: null })).toBe(
      "orders east→west: the flow is in ERROR (for 60 s or more)",
    );
  });

  it("are the notification itself for generic webhooks and a text message for Slack", () => {
    const n = { ...firing, summary: describeAlert(firing) };
    expect(webhookBody("GENERIC", n)).toBe(n);
    expect(webhookBody("SLACK", n)).toMatchObject({
      text: `:rotating_light: [FIRING] ${n.summary}`,
      attachments: [{ color: "danger", ts: 1_796_371_200 }],
    });
  });
});
