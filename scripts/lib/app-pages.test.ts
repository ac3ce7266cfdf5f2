import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_PAGE, HOME_PAGE, LANDING_PAGE, MEMBER_PAGE } from '../../core/pages';
import { readAppPages } from './app-pages';

describe('readAppPages', () => {
  it('lists the main pages and every subpackage page of src/app.config.ts', () => {
    const pages = readAppPages(path.resolve(import.meta.dirname, '../..'));
    expect(pages).toEqual(expect.arrayContaining([HOME_PAGE, MEMBER_PAGE, LANDING_PAGE, CAMPAIGN_PAGE, 'packages/member/profile/index']));
    expect(new Set(pages).size).toBe(pages.length);
    for (const page of pages) expect(page).toMatch(/^[a-z]+(\/[a-z-]+)+$/);
  });
});
