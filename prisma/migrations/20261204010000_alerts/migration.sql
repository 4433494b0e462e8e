-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('LAG_RECORDS', 'LAG_SECONDS', 'HEARTBEAT_AGE', 'CHECKPOINT_STALE', 'FLOW_ERROR');

-- CreateEnum
CREATE TYPE "AlertState" AS ENUM ('OK', 'PENDING', 'FIRING');

-- CreateEnum
CREATE TYPE "WebhookFormat" AS ENUM ('GENERIC', 'SLACK');

-- CreateTable
CREATE TABLE "alert_rule" (
    "id" UUID NOT NULL,
    "flow_id" UUID NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "threshold" DOUBLE PRECISION,
    "for_seconds" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "state" "AlertState" NOT NULL DEFAULT 'OK',
    "since" TIMESTAMPTZ(3),
    "last_value" DOUBLE PRECISION,
    "evaluated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "format" "WebhookFormat" NOT NULL DEFAULT 'GENERIC',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_rule_flow_id_idx" ON "alert_rule"("flow_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_name_key" ON "webhook"("name");

-- AddForeignKey
ALTER TABLE "alert_rule" ADD CONSTRAINT "alert_rule_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
