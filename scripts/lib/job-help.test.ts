import { describe, expect, it } from 'vitest';
import { adminContract } from '../../core/contracts/admin';
import { describeFields } from './job-help';

describe('describeFields', () => {
  it('lists every field of a job from its contract, required ones first, with defaults and bounds', () => {
    const lines = describeFields(adminContract.actions.createArticleCode.input);
    expect(lines[0]).toMatch(/^article\s+required; string \(≥ 1 chars, ≤ 64 chars\)$/);
    expect(lines[1]).toMatch(/^page\s+required; string \(≤ 256 chars\)$/);
    expect(lines).toContainEqual(expect.stringMatching(/^channel\s+default "article"; string$/));
    expect(lines).toContainEqual(expect.stringMatching(/^envVersion\s+default "release"; one of "release", "trial", "develop"$/));
    expect(lines).toContainEqual(expect.stringMatching(/^expiresAt\s+optional; string \(ISO time with offset/));
    const names = lines.map((line) => line.split(/\s+/)[0]).sort();
    expect(names).toEqual(Object.keys(adminContract.actions.createArticleCode.input._zod.def.shape).sort());
  });

  it('says so when a job takes no fields', () => {
    expect(describeFields(adminContract.actions.seed.input)).toEqual(['(no fields)']);
  });
});
