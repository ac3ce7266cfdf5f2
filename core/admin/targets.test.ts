import { describe, expect, it } from 'vitest';
import { targetProblems } from './targets';

const facts = {
  appPages: new Set(['pages/index/index', 'packages/campaign/detail/index']),
  articles: new Set(['art-1']),
  campaigns: new Set(['cmp-1']),
};

describe('targetProblems', () => {
  it('accepts a target that exists and lists every missing part of one that does not', () => {
    expect(targetProblems([{ line: 2, page: 'pages/index/index', article: 'art-1', campaign: 'cmp-1' }], facts)).toEqual([]);
    expect(targetProblems([{ line: 3, page: 'packages/nope/index', article: 'art-x', campaign: 'cmp-x' }], facts)).toEqual([
      { line: 3, reason: 'page packages/nope/index is not a page of the app (see src/app.config.ts)' },
      { line: 3, reason: 'article art-x does not exist' },
      { line: 3, reason: 'campaign cmp-x does not exist' },
    ]);
  });

  it('checks only what a row names', () => {
    expect(targetProblems([{ line: 1 }, { line: 2, article: 'art-1' }], facts)).toEqual([]);
    // A page that only looks like one (a prototype key, a different case) is not one.
    expect(
      targetProblems(
        [
          { line: 1, page: 'constructor' },
          { line: 2, page: 'Pages/index/index' },
        ],
        facts,
      ),
    ).toHaveLength(2);
  });
});
