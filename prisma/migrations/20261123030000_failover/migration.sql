-- CreateEnum
CREATE TYPE "FailoverMode" AS ENUM ('PLANNED', 'UNPLANNED');

-- CreateEnum
CREATE TYPE "FailoverRunState" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- AlterTable
ALTER TABLE "flow" ADD COLUMN     "active_cluster_id" UUID;

-- AlterTable
ALTER TABLE "replication_position" ADD COLUMN     "last_copied_timestamp" TIMESTAMPTZ(3),
ADD COLUMN     "source_end_at" TIMESTAMPTZ(3),
ADD COLUMN     "source_end_offset" BIGINT;

-- CreateTable
CREATE TABLE "failover_run" (
    "id" UUID NOT NULL,
    "flow_id" UUID NOT NULL,
    "running_flow_id" UUID,
    "mode" "FailoverMode" NOT NULL,
    "state" "FailoverRunState" NOT NULL DEFAULT 'RUNNING',
    "options" JSONB NOT NULL DEFAULT '{}',
    "plan" JSONB NOT NULL DEFAULT '{}',
    "steps" JSONB NOT NULL DEFAULT '[]',
    "report" JSONB NOT NULL DEFAULT '{}',
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "requested_by" TEXT NOT NULL,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "failover_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "failover_run_running_flow_id_key" ON "failover_run"("running_flow_id");

-- CreateIndex
CREATE INDEX "failover_run_flow_id_created_at_idx" ON "failover_run"("flow_id", "created_at");

-- AddForeignKey
ALTER TABLE "flow" ADD CONSTRAINT "flow_active_cluster_id_fkey" FOREIGN KEY ("active_cluster_id") REFERENCES "cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "failover_run" ADD CONSTRAINT "failover_run_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
