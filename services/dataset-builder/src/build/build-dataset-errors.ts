/** The job names a category the store does not have. Retrying will not create it. */
export class UnknownCategoryError extends Error {
  constructor(slug: string) {
    super(`Unknown category "${slug}": add it first (npm run seed:sources, or the admin API)`);
  }
}

/** Nothing to build from: the category exists but holds no tweets, or none survive the filters. */
export class EmptyDatasetError extends Error {}

/** Too few tokens to train on; says how many there are and how many are needed. */
export class DatasetTooSmallError extends Error {}
