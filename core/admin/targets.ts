/** A code's target checked against what exists: the app's pages, the brand's articles and campaigns. */
export interface TargetFacts {
  appPages: ReadonlySet<string>;
  articles: ReadonlySet<string>;
  campaigns: ReadonlySet<string>;
}

export interface TargetRow {
  line: number;
  page?: string;
  article?: string;
  campaign?: string;
}

/** Every reason a row's target does not exist, so the operator fixes the file in one go. */
export function targetProblems(rows: readonly TargetRow[], facts: TargetFacts): Array<{ line: number; reason: string }> {
  const problems: Array<{ line: number; reason: string }> = [];
  for (const row of rows) {
    if (row.page !== undefined && !facts.appPages.has(row.page)) {
      problems.push({ line: row.line, reason: `page ${row.page} is not a page of the app (see src/app.config.ts)` });
    }
    if (row.article && !facts.articles.has(row.article)) problems.push({ line: row.line, reason: `article ${row.article} does not exist` });
    if (row.campaign && !facts.campaigns.has(row.campaign))
      problems.push({ line: row.line, reason: `campaign ${row.campaign} does not exist` });
  }
  return problems;
}
