-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('x', 'bluesky');

-- CreateEnum
CREATE TYPE "TweetOrigin" AS ENUM ('twint_import', 'x_graphql', 'bluesky');

-- CreateEnum
CREATE TYPE "SourceStatus" AS ENUM ('active', 'disabled', 'not_found', 'suspended', 'error');

-- CreateEnum
CREATE TYPE "ScrapeRunStatus" AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "DatasetStatus" AS ENUM ('building', 'ready', 'failed');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('training', 'ready', 'active', 'retired', 'failed');

-- CreateEnum
CREATE TYPE "Author" AS ENUM ('human', 'machine');

-- CreateTable
CREATE TABLE "categories" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "categories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source_accounts" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "handle" TEXT NOT NULL,
    "category_id" INTEGER NOT NULL,
    "platform_user_id" TEXT,
    "status" "SourceStatus" NOT NULL DEFAULT 'active',
    "last_cursor" TEXT,
    "newest_tweet_id" TEXT,
    "last_scraped_at" TIMESTAMP(3),
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "source_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scrape_runs" (
    "id" SERIAL NOT NULL,
    "category_id" INTEGER,
    "source_account_id" INTEGER,
    "job_id" TEXT,
    "status" "ScrapeRunStatus" NOT NULL DEFAULT 'queued',
    "pages_fetched" INTEGER NOT NULL DEFAULT 0,
    "tweets_seen" INTEGER NOT NULL DEFAULT 0,
    "tweets_inserted" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "scrape_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tweets" (
    "id" BIGSERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "platform_id" TEXT NOT NULL,
    "author_handle" TEXT NOT NULL,
    "author_name" TEXT,
    "text" TEXT NOT NULL,
    "tweeted_at" TIMESTAMP(3) NOT NULL,
    "like_count" INTEGER NOT NULL DEFAULT 0,
    "retweet_count" INTEGER NOT NULL DEFAULT 0,
    "reply_count" INTEGER NOT NULL DEFAULT 0,
    "is_reply" BOOLEAN NOT NULL DEFAULT false,
    "has_link" BOOLEAN NOT NULL DEFAULT false,
    "is_retweet" BOOLEAN NOT NULL DEFAULT false,
    "is_quote" BOOLEAN NOT NULL DEFAULT false,
    "url" TEXT,
    "raw" JSON NOT NULL,
    "origin" "TweetOrigin" NOT NULL,
    "origin_ref" TEXT,
    "scrape_run_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tweets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tweet_categories" (
    "tweet_id" BIGINT NOT NULL,
    "category_id" INTEGER NOT NULL,
    "sample_key" DOUBLE PRECISION NOT NULL DEFAULT random(),
    "added_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tweet_categories_pkey" PRIMARY KEY ("tweet_id","category_id")
);

-- CreateTable
CREATE TABLE "datasets" (
    "id" SERIAL NOT NULL,
    "category_id" INTEGER NOT NULL,
    "status" "DatasetStatus" NOT NULL DEFAULT 'building',
    "filters" JSONB NOT NULL,
    "val_fraction" DOUBLE PRECISION NOT NULL,
    "seed" INTEGER NOT NULL DEFAULT 0,
    "tweet_count" INTEGER NOT NULL DEFAULT 0,
    "train_tokens" BIGINT NOT NULL DEFAULT 0,
    "val_tokens" BIGINT NOT NULL DEFAULT 0,
    "manifest" JSONB,
    "artifact_uri" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_versions" (
    "id" SERIAL NOT NULL,
    "category_id" INTEGER,
    "version" INTEGER NOT NULL,
    "status" "ModelStatus" NOT NULL DEFAULT 'training',
    "base" JSONB NOT NULL,
    "parent_id" INTEGER,
    "hyperparameters" JSONB NOT NULL,
    "metrics" JSONB,
    "artifact_uri" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activated_at" TIMESTAMP(3),
    "retired_at" TIMESTAMP(3),

    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_version_datasets" (
    "model_version_id" INTEGER NOT NULL,
    "dataset_id" INTEGER NOT NULL,

    CONSTRAINT "model_version_datasets_pkey" PRIMARY KEY ("model_version_id","dataset_id")
);

-- CreateTable
CREATE TABLE "generated_tweets" (
    "id" BIGSERIAL NOT NULL,
    "model_version_id" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "prompt" TEXT,
    "sampling" JSONB NOT NULL,
    "token_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "served_at" TIMESTAMP(3),

    CONSTRAINT "generated_tweets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "players" (
    "id" UUID NOT NULL,
    "nickname" TEXT,
    "score" INTEGER NOT NULL DEFAULT 0,
    "streak" INTEGER NOT NULL DEFAULT 0,
    "best_streak" INTEGER NOT NULL DEFAULT 0,
    "rounds_played" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "players_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rounds" (
    "id" TEXT NOT NULL,
    "player_id" UUID,
    "category_id" INTEGER NOT NULL,
    "truth" "Author" NOT NULL,
    "tweet_id" BIGINT,
    "generated_tweet_id" BIGINT,
    "model_version_id" INTEGER,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "rounds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guesses" (
    "id" BIGSERIAL NOT NULL,
    "round_id" TEXT NOT NULL,
    "player_id" UUID,
    "guess" "Author" NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guesses_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "categories_slug_key" ON "categories"("slug");

-- CreateIndex
CREATE INDEX "source_accounts_category_id_status_idx" ON "source_accounts"("category_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "source_accounts_platform_handle_category_id_key" ON "source_accounts"("platform", "handle", "category_id");

-- CreateIndex
CREATE INDEX "scrape_runs_source_account_id_started_at_idx" ON "scrape_runs"("source_account_id", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "tweets_platform_platform_id_key" ON "tweets"("platform", "platform_id");

-- CreateIndex
CREATE INDEX "tweet_categories_category_id_sample_key_idx" ON "tweet_categories"("category_id", "sample_key");

-- CreateIndex
CREATE INDEX "datasets_category_id_created_at_idx" ON "datasets"("category_id", "created_at");

-- CreateIndex
CREATE INDEX "model_versions_category_id_status_idx" ON "model_versions"("category_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "model_versions_category_id_version_key" ON "model_versions"("category_id", "version");

-- CreateIndex
CREATE INDEX "generated_tweets_model_version_id_served_at_idx" ON "generated_tweets"("model_version_id", "served_at");

-- CreateIndex
CREATE INDEX "rounds_player_id_created_at_idx" ON "rounds"("player_id", "created_at");

-- CreateIndex
CREATE INDEX "rounds_category_id_created_at_idx" ON "rounds"("category_id", "created_at");

-- CreateIndex
CREATE INDEX "rounds_model_version_id_created_at_idx" ON "rounds"("model_version_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "guesses_round_id_key" ON "guesses"("round_id");

-- CreateIndex
CREATE INDEX "guesses_player_id_created_at_idx" ON "guesses"("player_id", "created_at");

-- CreateIndex
CREATE INDEX "guesses_created_at_idx" ON "guesses"("created_at");

-- AddForeignKey
ALTER TABLE "source_accounts" ADD CONSTRAINT "source_accounts_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scrape_runs" ADD CONSTRAINT "scrape_runs_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scrape_runs" ADD CONSTRAINT "scrape_runs_source_account_id_fkey" FOREIGN KEY ("source_account_id") REFERENCES "source_accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tweets" ADD CONSTRAINT "tweets_scrape_run_id_fkey" FOREIGN KEY ("scrape_run_id") REFERENCES "scrape_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tweet_categories" ADD CONSTRAINT "tweet_categories_tweet_id_fkey" FOREIGN KEY ("tweet_id") REFERENCES "tweets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tweet_categories" ADD CONSTRAINT "tweet_categories_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_version_datasets" ADD CONSTRAINT "model_version_datasets_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_version_datasets" ADD CONSTRAINT "model_version_datasets_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generated_tweets" ADD CONSTRAINT "generated_tweets_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_player_id_fkey" FOREIGN KEY ("player_id") REFERENCES "players"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_tweet_id_fkey" FOREIGN KEY ("tweet_id") REFERENCES "tweets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_generated_tweet_id_fkey" FOREIGN KEY ("generated_tweet_id") REFERENCES "generated_tweets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guesses" ADD CONSTRAINT "guesses_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guesses" ADD CONSTRAINT "guesses_player_id_fkey" FOREIGN KEY ("player_id") REFERENCES "players"("id") ON DELETE SET NULL ON UPDATE CASCADE;
