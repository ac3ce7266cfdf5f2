import { adminContract } from '../../core/contracts/admin';
import { createHandler } from '../../server/handler';
import { addAdmin } from '../../server/admin/add-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createArticleCode } from '../../server/admin/create-article-code';
import { createArticleCodes } from '../../server/admin/create-article-codes';
import { createMpQrCode } from '../../server/admin/create-mp-qr-code';
import { listFailedPushes } from '../../server/admin/list-failed-pushes';
import { seedDemo } from '../../server/admin/seed-demo';
import { setKeywordReplies } from '../../server/admin/set-keyword-replies';
import { setMpMenu } from '../../server/admin/set-mp-menu';
import { syncFollowers } from '../../server/admin/sync-followers';

// Console jobs. Every action is open to callers without an OPENID at the handler level
// ('any'); `authorized` then admits only the console, timers and members on the admin list.
export const main = createHandler(
  adminContract,
  authorized<typeof adminContract>({
    seed: () => seedDemo(new Date()),
    createArticleCode: (input) => createArticleCode(input, new Date()),
    createArticleCodes: (input) => createArticleCodes(input, new Date()),
    createMpQrCode: (input) => createMpQrCode(input, new Date()),
    setMpMenu: (input) => setMpMenu(input, new Date()),
    setKeywordReplies: (input) => setKeywordReplies(input, new Date()),
    listFailedPushes: (input) => listFailedPushes(input),
    syncFollowers: (input) => syncFollowers(input, new Date()),
    addAdmin: (input, { caller }) => addAdmin(input.memberId, caller, new Date()),
  }),
  {
    audience: {
      seed: 'any',
      createArticleCode: 'any',
      createArticleCodes: 'any',
      createMpQrCode: 'any',
      setMpMenu: 'any',
      setKeywordReplies: 'any',
      listFailedPushes: 'any',
      syncFollowers: 'any',
      addAdmin: 'any',
    },
  },
);
