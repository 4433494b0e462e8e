-- Topic ACL sync arrives on by default, as in MM2, for flows created from now on. Flows that
-- existed before ran without it: they keep it off until an operator turns it on, so an upgrade
-- never starts creating ACLs on a target by itself.
UPDATE "flow"
SET "settings" = jsonb_set(COALESCE("settings", '{}'::jsonb), '{syncTopicAcls}', 'false'::jsonb)
WHERE NOT (COALESCE("settings", '{}'::jsonb) ? 'syncTopicAcls');
