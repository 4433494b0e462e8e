-- AlterTable
ALTER TABLE "replication_position" ADD COLUMN     "last_copied_digest" TEXT,
ADD COLUMN     "last_copied_offset" BIGINT;
