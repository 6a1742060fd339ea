-- Machine tweets that stopped at their length cap read unfinished and are no longer dealt or
-- kept by the pool. Those still waiting in a pool would count towards its target for ever, so
-- they go. Served ones stay: rounds refer to them.
DELETE FROM "generated_tweets"
WHERE "served_at" IS NULL
  AND "sampling" ? 'max_new_tokens'
  AND "token_count" >= ("sampling"->>'max_new_tokens')::int;
