import { expect } from 'vitest';

/** The data of an answer that must be ok (the failure's own text in the assertion message otherwise). */
export function okData(answer: any) {
  expect(answer, JSON.stringify(answer).slice(0, 500)).toMatchObject({ ok: true });
  return answer.data;
}

/** The problems a refused job listed in its detail (`path: reason; path: reason`). */
export function problemsOf(answer: any): string[] {
  expect(answer, JSON.stringify(answer).slice(0, 500)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  return (answer.detail as string).split('; ');
}
