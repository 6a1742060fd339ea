-- AlterTable
ALTER TABLE "source_accounts" ADD COLUMN     "walk_newest_id" TEXT;
