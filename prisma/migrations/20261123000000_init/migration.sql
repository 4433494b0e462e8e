-- CreateEnum
CREATE TYPE "SecurityProtocol" AS ENUM ('PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL');

-- CreateEnum
CREATE TYPE "ReplicationPolicyKind" AS ENUM ('DEFAULT', 'IDENTITY');

-- CreateEnum
CREATE TYPE "StartPosition" AS ENUM ('EARLIEST', 'LATEST');

-- CreateEnum
CREATE TYPE "FlowState" AS ENUM ('CREATED', 'STARTING', 'RUNNING', 'CATCHING_UP', 'PAUSED', 'ERROR', 'STOPPED');

-- CreateTable
CREATE TABLE "cluster" (
    "id" UUID NOT NULL,
    "alias" TEXT NOT NULL,
    "bootstrap_servers" TEXT NOT NULL,
    "security_protocol" "SecurityProtocol" NOT NULL DEFAULT 'PLAINTEXT',
    "client_overrides" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flow" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "source_cluster_id" UUID NOT NULL,
    "target_cluster_id" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "topics_include" TEXT NOT NULL DEFAULT '.*',
    "topics_exclude" TEXT NOT NULL DEFAULT '.*[\-\.]internal, .*\.replica, __.*',
    "groups_include" TEXT NOT NULL DEFAULT '.*',
    "groups_exclude" TEXT NOT NULL DEFAULT 'console-consumer-.*, connect-.*, __.*',
    "replication_policy" "ReplicationPolicyKind" NOT NULL DEFAULT 'DEFAULT',
    "separator" TEXT NOT NULL DEFAULT '.',
    "start_position" "StartPosition" NOT NULL DEFAULT 'EARLIEST',
    "tasks_max" INTEGER NOT NULL DEFAULT 1,
    "replication_factor" INTEGER NOT NULL DEFAULT 2,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "state" "FlowState" NOT NULL DEFAULT 'CREATED',
    "state_reason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "flow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flow_event" (
    "id" BIGSERIAL NOT NULL,
    "flow_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flow_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "cluster_alias_key" ON "cluster"("alias");

-- CreateIndex
CREATE UNIQUE INDEX "flow_name_key" ON "flow"("name");

-- CreateIndex
CREATE INDEX "flow_source_cluster_id_idx" ON "flow"("source_cluster_id");

-- CreateIndex
CREATE INDEX "flow_target_cluster_id_idx" ON "flow"("target_cluster_id");

-- CreateIndex
CREATE INDEX "flow_event_flow_id_created_at_idx" ON "flow_event"("flow_id", "created_at");

-- AddForeignKey
ALTER TABLE "flow" ADD CONSTRAINT "flow_source_cluster_id_fkey" FOREIGN KEY ("source_cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow" ADD CONSTRAINT "flow_target_cluster_id_fkey" FOREIGN KEY ("target_cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_event" ADD CONSTRAINT "flow_event_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
