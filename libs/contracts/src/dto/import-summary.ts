/** What an import reports: shown by the CLI and stored as the import job's result. */
export interface ImportSummary {
  category: string;
  read: number;
  inserted: number;
  /** Lines whose tweet was already stored and linked to this category: by an earlier run, or by an earlier line of this one. */
  alreadyPresent: number;
  /** Lines whose tweet was already stored under another category only, and is now linked to this one too. */
  linkedToCategory: number;
  rejected: Record<string, number>;
  /** The first rejected lines, with their place, so a person can open the file at them. */
  rejections: { source: string; line: number; reason: string }[];
  seconds: number;
}
