-- A webhook URL (Slack's, most of all) is itself a credential: it is sealed at rest with
-- MIRRORDECK_SECRET_KEY from now on, like cluster passwords, and only its origin is kept in clear
-- (what the UI shows). SQL cannot seal: rows written before keep their URL in clear in
-- "url_sealed" until `npm run secrets:rotate-key` seals them (the worker reads both meanwhile).
ALTER TABLE "webhook" RENAME COLUMN "url" TO "url_sealed";
ALTER TABLE "webhook" ADD COLUMN "origin" TEXT;
-- Scheme and authority, without any user:password@ (as JavaScript's URL.origin).
UPDATE "webhook"
SET "origin" = lower(regexp_replace(substring("url_sealed" FROM '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+'), '://[^@]*@', '://'));
ALTER TABLE "webhook" ALTER COLUMN "origin" SET NOT NULL;
