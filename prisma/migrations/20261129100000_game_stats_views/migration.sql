-- Game statistics for analysts and GET /api/stats (docs/stats.md): views, and planner statistics
-- for them. schema.prisma does not describe either, and `npm run db:new-migration` (a
-- schema-to-schema diff) never sees them. A later migration that drops or retypes a column they
-- read must drop and recreate the views.
--
-- created_at columns are timestamps without a time zone, written in UTC (the server's TimeZone),
-- so created_at::date is the UTC day. Rates are numeric, rounded to 3 places. Each row has at
-- least one guess (or round), so no rate divides by zero.

-- Accuracy per edition, over all guesses.
CREATE VIEW "stats_edition_accuracy" AS
SELECT c.id AS category_id,
       c.slug,
       c.name,
       count(*) AS guesses,
       count(*) FILTER (WHERE g.correct) AS correct,
       round((count(*) FILTER (WHERE g.correct))::numeric / NULLIF(count(*), 0), 3) AS accuracy
  FROM guesses g
  JOIN rounds r ON r.id = g.round_id
  JOIN categories c ON c.id = r.category_id
 GROUP BY c.id;

-- How often each model version's tweets were taken for a person's, per edition it was played in
-- (one row per version unless a version serves several editions), over all guesses.
CREATE VIEW "stats_model_fool_rate" AS
SELECT mv.id AS model_version_id,
       c.id AS category_id,
       c.slug,
       mv.version,
       mv.status,
       count(*) AS guesses,
       count(*) FILTER (WHERE g.guess = 'human') AS fooled,
       round((count(*) FILTER (WHERE g.guess = 'human'))::numeric / NULLIF(count(*), 0), 3) AS fool_rate
  FROM guesses g
  JOIN rounds r ON r.id = g.round_id
  JOIN model_versions mv ON mv.id = r.model_version_id
  JOIN categories c ON c.id = r.category_id
 WHERE r.truth = 'machine'
 GROUP BY mv.id, c.id;

-- Accuracy per edition per UTC day of the guess.
CREATE VIEW "stats_daily_accuracy" AS
SELECT g.created_at::date AS day,
       c.id AS category_id,
       c.slug,
       count(*) AS guesses,
       count(*) FILTER (WHERE g.correct) AS correct,
       round((count(*) FILTER (WHERE g.correct))::numeric / NULLIF(count(*), 0), 3) AS accuracy
  FROM guesses g
  JOIN rounds r ON r.id = g.round_id
  JOIN categories c ON c.id = r.category_id
 GROUP BY g.created_at::date, c.id;

-- Fool rate per model version per UTC day of the guess.
CREATE VIEW "stats_model_daily_fool_rate" AS
SELECT g.created_at::date AS day,
       mv.id AS model_version_id,
       c.id AS category_id,
       c.slug,
       mv.version,
       count(*) AS guesses,
       count(*) FILTER (WHERE g.guess = 'human') AS fooled,
       round((count(*) FILTER (WHERE g.guess = 'human'))::numeric / NULLIF(count(*), 0), 3) AS fool_rate
  FROM guesses g
  JOIN rounds r ON r.id = g.round_id
  JOIN model_versions mv ON mv.id = r.model_version_id
  JOIN categories c ON c.id = r.category_id
 WHERE r.truth = 'machine'
 GROUP BY g.created_at::date, mv.id, c.id;

-- The human/machine mix of the rounds dealt per edition per UTC day of the round (guessed or
-- not), to check it against GAME_MACHINE_SHARE.
CREATE VIEW "stats_daily_machine_share" AS
SELECT r.created_at::date AS day,
       c.id AS category_id,
       c.slug,
       count(*) AS rounds,
       count(*) FILTER (WHERE r.truth = 'machine') AS machine_rounds,
       round((count(*) FILTER (WHERE r.truth = 'machine'))::numeric / NULLIF(count(*), 0), 3) AS machine_share
  FROM rounds r
  JOIN categories c ON c.id = r.category_id
 GROUP BY r.created_at::date, c.id;

-- The number of distinct days, so that the planner expects a few hundred groups (and hashes
-- them in memory) rather than one per guess. Filled in by the next ANALYZE (autovacuum).
CREATE STATISTICS "guesses_created_day_stats" ON ((created_at::date)) FROM "guesses";
CREATE STATISTICS "rounds_created_day_stats" ON ((created_at::date)) FROM "rounds";
