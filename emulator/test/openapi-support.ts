import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from './support';

/**
 * A small project of its own for the openapi (and 公众号 template) tests, so they do not depend on
 * the real app's pages or templates: two main pages, one subpackage (root with a trailing slash on
 * purpose), and a template registry that covers every keyword type, plus two 公众号 templates.
 */
export const APP_CONFIG = `export default defineAppConfig({
  pages: ['pages/index/index', 'pages/coupon/index'],
  subPackages: [{ root: 'packages/groupbuy/', pages: ['invite/index'] }],
  window: { navigationBarTitleText: 'Duet test' },
});
`;

export const TEMPLATES = {
  templates: [
    { id: 'TPL_GROUP_SUCCESS', title: '拼团成功通知', keywords: { thing1: 'thing', amount2: 'amount', time3: 'time', thing4: 'thing' } },
    { id: 'TPL_REFUND', title: '退款通知', keywords: { character_string1: 'character_string', amount2: 'amount', phrase3: 'phrase' } },
    {
      id: 'TPL_ALL_TYPES',
      title: 'every keyword type',
      keywords: {
        thing1: 'thing',
        number2: 'number',
        letter3: 'letter',
        symbol4: 'symbol',
        character_string5: 'character_string',
        phone_number6: 'phone_number',
        car_number7: 'car_number',
        name8: 'name',
        phrase9: 'phrase',
        amount10: 'amount',
        date11: 'date',
        time12: 'time',
      },
    },
  ],
  mpTemplates: [
    { id: 'MP_TPL_ORDER_STATUS', title: '订单状态更新', fields: ['first', 'keyword1', 'keyword2', 'keyword3', 'remark'] },
    { id: 'MP_TPL_REMINDER', title: '到期提醒', fields: ['first', 'keyword1', 'keyword2', 'remark'] },
  ],
};

export function makeOpenapiProject(): { root: string; cleanup(): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'duet-openapi-'));
  mkdirSync(path.join(root, 'src'), { recursive: true });
  mkdirSync(path.join(root, 'cloud'), { recursive: true });
  writeFileSync(path.join(root, 'src/app.config.ts'), APP_CONFIG);
  writeFileSync(path.join(root, 'cloud/subscribe-templates.json'), JSON.stringify(TEMPLATES, null, 2));
  // Other modules read the schema from the project root; give them the real one.
  copyFileSync(path.join(projectRoot, 'cloud/schema.json'), path.join(root, 'cloud/schema.json'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The error an SDK call rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<{ errCode: number; errMsg: string; message: string }> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected the call to fail, it returned ${JSON.stringify(outcome.value)}`);
  return outcome.error as { errCode: number; errMsg: string; message: string };
}

export const fixtureFunctionsDir = path.join(import.meta.dirname, 'fixtures/openapi-functions');
