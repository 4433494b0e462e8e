import { describe, expect, it } from "vitest";
import { changedSettingKeys, draftFromFlow, parseSettings } from "./flow-draft.ts";

describe("the flow form's topic ACL settings", () => {
  it("reads principal pairs into a map and writes them back as typed", () => {
    const parsed = parseSettings({
      aclPrincipalMap: " User:alice -> User:alice-dr ;User:CN=Bob Smith,O=Acme -> Group:ops; ",
    });
    expect(parsed.errors).toEqual({});
    expect(parsed.settings.aclPrincipalMap).toEqual({
      "User:alice": "User:alice-dr",
      "User:CN=Bob Smith,O=Acme": "Group:ops",
    });
    const draft = draftFromFlow({ settings: parsed.settings } as Parameters<typeof draftFromFlow>[0]);
    expect(draft.settings.aclPrincipalMap).toBe(
      "User:alice -> User:alice-dr; User:CN=Bob Smith,O=Acme -> Group:ops",
    );
    expect(parseSettings({ aclPrincipalMap: draft.settings.aclPrincipalMap! }).settings).toEqual(
      parsed.settings,
    );
  });

  it("refuses a pair that is not two Kafka principals, naming it", () => {
    for (const text of [
      "alice -> User:alice-dr",
      "User:alice",
      "User:a -> User:b -> User:c",
      "User:a -> User:",
    ]) {
      const parsed = parseSettings({ aclPrincipalMap: text });
      expect(parsed.errors["settings.aclPrincipalMap"]).toMatch(
        /write each pair as User:alice -> User:alice-dr/,
      );
      expect(parsed.settings.aclPrincipalMap).toBeUndefined();
    }
  });

  it("an empty map is MM2's behaviour (names kept), and maps compare by content", () => {
    expect(parseSettings({ aclPrincipalMap: " ; " }).settings).toEqual({});
    const ab = { "User:a": "User:b", "User:c": "User:d" };
    const ba = { "User:c": "User:d", "User:a": "User:b" };
    expect(changedSettingKeys({ aclPrincipalMap: ab }, { aclPrincipalMap: ba })).toEqual([]);
    expect(changedSettingKeys({}, { aclPrincipalMap: { "User:a": "User:b" } })).toEqual(["aclPrincipalMap"]);
    expect(changedSettingKeys({}, { syncTopicAcls: true })).toEqual([]);
    expect(changedSettingKeys({}, { syncTopicAcls: false })).toEqual(["syncTopicAcls"]);
  });
});
