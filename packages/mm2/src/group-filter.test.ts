import { describe, expect, it } from "vitest";
import { DefaultGroupFilter } from "./group-filter.ts";
import { catchMm2Error } from "./test-support.ts";

describe("DefaultGroupFilter", () => {
  it("checkpoints every group except console consumers, Connect and internal groups by default", () => {
    const filter = new DefaultGroupFilter();
    expect(filter.shouldReplicateGroup("billing")).toBe(true);
    for (const group of ["console-consumer-1234", "connect-mm2", "__internal"]) {
      expect(filter.shouldReplicateGroup(group)).toBe(false);
    }
  });

  it("applies include and exclude lists", () => {
    const filter = new DefaultGroupFilter({ groups: "team-.*", groupsExclude: "team-test" });
    expect(filter.shouldReplicateGroup("team-a")).toBe(true);
    expect(filter.shouldReplicateGroup("team-test")).toBe(false);
    expect(filter.shouldReplicateGroup("other")).toBe(false);
  });

  it("fails on an invalid pattern with INVALID_PATTERN", () => {
    expect(catchMm2Error(() => new DefaultGroupFilter({ groups: "*" })).code).toBe("INVALID_PATTERN");
  });
});
