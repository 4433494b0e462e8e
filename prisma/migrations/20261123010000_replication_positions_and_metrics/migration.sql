-- CreateTable
CREATE TABLE "replication_position" (
    "flow_id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "next_offset" BIGINT,
    "owner" TEXT,
    "owner_epoch" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "replication_position_pkey" PRIMARY KEY ("flow_id","topic","partition")
);

-- CreateTable
CREATE TABLE "flow_metric_minute" (
    "flow_id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "records" BIGINT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "max_lag_records" BIGINT,
    "max_lag_seconds" DOUBLE PRECISION,
    "latency_p50_ms" DOUBLE PRECISION,
    "latency_p99_ms" DOUBLE PRECISION,

    CONSTRAINT "flow_metric_minute_pkey" PRIMARY KEY ("flow_id","topic","bucket")
);

-- CreateIndex
CREATE INDEX "flow_metric_minute_flow_id_bucket_idx" ON "flow_metric_minute"("flow_id", "bucket");

-- AddForeignKey
ALTER TABLE "replication_position" ADD CONSTRAINT "replication_position_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_metric_minute" ADD CONSTRAINT "flow_metric_minute_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
