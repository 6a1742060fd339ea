/** What an import reports: shown by the CLI and stored as the import job's result. */
export interface ImportSummary {
  category: string;
  read: number;
  inserted: number;
  /** Stored already (same platform id) and linked to this category before this run. */
  alreadyPresent: number;
  /** Stored already (another category or a repeated line) and now linked to this category too. */
  linkedToCategory: number;
  rejected: Record<string, number>;
  /** The first rejected lines, with their place, so a person can open the file at them. */
  rejections: { source: string; line: number; reason: string }[];
  seconds: number;
}
