/** The validated config, for the game's providers. */
export const GAME_CONFIG = Symbol('GAME_CONFIG');
/** The game's own Redis connection: rate limits and the token-score cache. */
export const GAME_REDIS = Symbol('GAME_REDIS');
