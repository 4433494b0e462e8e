import { expect, test } from "@playwright/test";
import { eastBootstrap } from "../../e2e-env.ts";
import { admin, counts, expectError } from "../../support/api.ts";

test.describe.configure({ mode: "serial" });

const json = { ...admin, "content-type": "application/json" };

/** Each case: a request that must get a clear 4xx with this code and change nothing. */
const cases: {
  name: string;
  status: number;
  code: string;
  send: (r: import("@playwright/test").APIRequestContext) => Promise<import("@playwright/test").APIResponse>;
}[] = [
  {
    name: "malformed JSON",
    status: 400,
    code: "MALFORMED_JSON",
    send: (r) => r.post("/api/v1/clusters", { headers: json, data: Buffer.from('{"alias": "x",') }),
  },
  {
    name: "JSON sent as text/plain",
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    send: (r) =>
      r.post("/api/v1/clusters", {
        headers: { ...admin, "content-type": "text/plain" },
        data: Buffer.from('{"alias":"x"}'),
      }),
  },
  {
    name: "an unknown field",
    status: 400,
    code: "VALIDATION_FAILED",
    send: (r) =>
      r.post("/api/v1/clusters", {
        headers: admin,
        data: { alias: "extra", bootstrapServers: eastBootstrap, isAdmin: true },
      }),
  },
  {
    name: "an oversized body",
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    send: (r) =>
      r.post("/api/v1/flows", {
        headers: admin,
        data: { sourceAlias: "west", targetAlias: "east", topicsInclude: "x".repeat(70_000) },
      }),
  },
  {
    name: "an alias that breaks MM2's naming",
    status: 400,
    code: "VALIDATION_FAILED",
    send: (r) =>
      r.post("/api/v1/clusters", {
        headers: admin,
        data: { alias: "east->west", bootstrapServers: eastBootstrap },
      }),
  },
  {
    name: "a garbage bootstrap list",
    status: 400,
    code: "VALIDATION_FAILED",
    send: (r) =>
      r.post("/api/v1/clusters", {
        headers: admin,
        data: { alias: "garbage", bootstrapServers: "not a host, :99999" },
      }),
  },
  {
    name: "a secret passed as a client override",
    status: 400,
    code: "VALIDATION_FAILED",
    send: (r) =>
      r.post("/api/v1/clusters", {
        headers: admin,
        data: {
          alias: "sneaky",
          bootstrapServers: eastBootstrap,
          clientOverrides: { "sasl.jaas.config": "x" },
        },
      }),
  },
  {
    name: "a flow whose source is its target",
    status: 400,
    code: "VALIDATION_FAILED",
    send: (r) =>
      r.post("/api/v1/flows", { headers: admin, data: { sourceAlias: "east", targetAlias: "east" } }),
  },
  {
    name: "an invalid regular expression",
    status: 400,
    code: "VALIDATION_FAILED",
    send: (r) =>
      r.post("/api/v1/flows", {
        headers: admin,
        data: { sourceAlias: "west", targetAlias: "east", topicsInclude: "orders.(*" },
      }),
  },
  {
    name: "a pattern needing backtracking (lookahead) that the linear-time engine refuses",
    status: 400,
    code: "VALIDATION_FAILED",
    send: (r) =>
      r.post("/api/v1/flows", {
        headers: admin,
        data: { sourceAlias: "west", targetAlias: "east", topicsInclude: "(?=a)(a+)+b" },
      }),
  },
  {
    name: "a flow naming an unknown cluster",
    status: 400,
    code: "VALIDATION_FAILED",
    send: (r) =>
      r.post("/api/v1/flows", { headers: admin, data: { sourceAlias: "nowhere", targetAlias: "east" } }),
  },
  {
    name: "an id that is not a uuid",
    status: 400,
    code: "VALIDATION_FAILED",
    send: (r) => r.get("/api/v1/flows/1%20OR%201=1", { headers: admin }),
  },
  {
    name: "a binary mm2.properties",
    status: 400,
    code: "MM2_FILE_UNREADABLE",
    send: (r) =>
      r.post("/api/v1/import/mm2-properties?apply=true", {
        headers: { ...admin, "content-type": "text/plain" },
        data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe]),
      }),
  },
  {
    name: "a huge mm2.properties",
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    send: (r) =>
      r.post("/api/v1/import/mm2-properties?apply=true", {
        headers: { ...admin, "content-type": "text/plain" },
        data: `clusters = a, b\n${"# padding\n".repeat(120_000)}`,
      }),
  },
  {
    name: "an mm2.properties without clusters",
    status: 400,
    code: "MM2_FILE_INVALID",
    send: (r) =>
      r.post("/api/v1/import/mm2-properties?apply=true", {
        headers: { ...admin, "content-type": "text/plain" },
        data: "topics = .*\n",
      }),
  },
  {
    name: "an unknown query parameter value",
    status: 400,
    code: "VALIDATION_FAILED",
    send: (r) => r.post("/api/v1/import/mm2-properties?apply=yes", { headers: admin, data: "clusters = a" }),
  },
];

for (const c of cases) {
  test(`refuses ${c.name} with ${c.status} ${c.code} and changes nothing`, async ({ request }) => {
    const before = await counts(request);
    const response = await c.send(request);
    await expectError(response, c.status, c.code);
    expect(await counts(request)).toEqual(before);
  });
}

test("validation errors say where and what", async ({ request }) => {
  const response = await request.post("/api/v1/flows", {
    headers: admin,
    data: { sourceAlias: "west", targetAlias: "east", topicsInclude: "orders.(*", tasksMax: 0 },
  });
  const body = (await response.json()) as {
    error: { details: { issues: { path: string; message: string }[] } };
  };
  const paths = body.error.details.issues.map((i) => i.path);
  expect(paths).toContain("body.topicsInclude");
  expect(paths).toContain("body.tasksMax");
});

test("a pattern that backtracks catastrophically elsewhere runs in linear time here", async ({ request }) => {
  // (a+)+b over a long run of a's takes exponential time in a backtracking engine.
  const started = Date.now();
  const response = await request.post("/api/v1/flows/preview", {
    headers: admin,
    data: { sourceAlias: "east", targetAlias: "west", topicsInclude: "(a+)+b", groupsInclude: "(x+x+)+y" },
  });
  expect(response.status(), await response.text()).toBe(200);
  expect(Date.now() - started).toBeLessThan(10_000);
});
