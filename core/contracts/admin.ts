import * as z from 'zod/mini';
import { duplicateRules } from '../admin/keyword-rules';
import { checkMenu, MENU_BUTTON_TYPES, type MenuButton } from '../admin/mp-menu';
import { defineContract } from '../contract';
import { checkSceneKey } from '../entry/scene';

/**
 * The `admin` function's console jobs. Operators send these as JSON events from the cloud
 * console or `npm run admin`; the app never calls them (so this contract stays out of
 * contracts/index.ts and the main package).
 */

export const SceneKey = z.string().check(
  z.superRefine((value, ctx) => {
    const check = checkSceneKey(value);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason, input: value });
  }),
);

/** An app page as wxacode and the router take it: no leading `/`, no query. */
export const PagePath = z.string().check(
  z.maxLength(256),
  z.regex(/^[A-Za-z0-9_-][A-Za-z0-9_\-/]*$/, 'page is an app page path without a leading "/" or a query, e.g. pages/index/index'),
  z.refine((page) => !page.split('/').includes('..') && !page.endsWith('/'), 'page is not a valid app page path'),
);

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s]+$/, 'no spaces'));
const Channel = z.string().check(z.regex(/^[a-z0-9_]{1,32}$/, 'channel is 1-32 of a-z, 0-9, _ (e.g. article, poster, menu)'));
const Params = z.record(
  z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,32}$/, 'param names are 1-32 of A-Z a-z 0-9 _ . -')),
  z.string().check(z.maxLength(256)),
);
const IsoDateTime = z.iso.datetime({ offset: true });
const Count = z.int();

/** One article code: the key (optional: generated) and where it leads. */
export const ArticleCodeRow = z.strictObject({
  scene: z.optional(SceneKey),
  article: Id,
  campaign: z.optional(Id),
  channel: z._default(Channel, 'article'),
  page: PagePath,
  params: z.optional(Params),
  expiresAt: z.optional(IsoDateTime),
});

const CodeOptions = {
  /** wxacode's check_path: the code's page must exist in the released version (turn off before release). */
  checkPath: z._default(z.boolean(), true),
  envVersion: z._default(z.enum(['release', 'trial', 'develop']), 'release'),
};

export const ArticleCodeView = z.object({
  scene: z.string(),
  article: z.nullable(z.string()),
  campaign: z.nullable(z.string()),
  channel: z.string(),
  page: z.string(),
  params: z.record(z.string(), z.string()),
  /** The page the code opens (the landing page), which routes to `page`. */
  codePage: z.string(),
  fileID: z.string(),
  tempFileURL: z.string(),
  expiresAt: z.nullable(z.string()),
  /** False when the key already existed with the same target (nothing generated). */
  created: z.boolean(),
});
export type ArticleCodeView = z.infer<typeof ArticleCodeView>;

export const BatchRowResult = z.object({
  line: Count,
  scene: z.string(),
  status: z.enum(['created', 'existing']),
  fileID: z.string(),
  tempFileURL: z.optional(z.string()),
});

/**
 * Two levels and no more, as WeChat's menus (3 buttons, 5 sub-buttons each; checkMenu reports those
 * limits with their paths). Not recursive: a 1,000-deep menu is refused at its second level with a
 * clear message, never walked (the event is validated before the caller is authorized).
 */
const MENU_BUTTON_FIELDS = {
  name: z.string().check(z.maxLength(256)),
  type: z.optional(z.enum(MENU_BUTTON_TYPES)),
  key: z.optional(z.string().check(z.maxLength(1024))),
  url: z.optional(z.string().check(z.maxLength(4096))),
  appid: z.optional(z.string().check(z.maxLength(64))),
  pagepath: z.optional(z.string().check(z.maxLength(1024))),
  media_id: z.optional(z.string().check(z.maxLength(256))),
  article_id: z.optional(z.string().check(z.maxLength(256))),
};
const MenuSubButtonSchema = z.strictObject(MENU_BUTTON_FIELDS);
const MenuButtonSchema: z.ZodMiniType<MenuButton> = z.strictObject({
  ...MENU_BUTTON_FIELDS,
  sub_button: z.optional(z.array(MenuSubButtonSchema).check(z.maxLength(10))),
});

const KeywordReplySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), content: z.string().check(z.trim(), z.minLength(1), z.maxLength(600)) }),
  z.strictObject({
    type: z.literal('miniprogrampage'),
    title: z.string().check(z.trim(), z.minLength(1, 'a mini-program card needs title'), z.maxLength(64)),
    pagepath: z
      .string()
      .check(z.minLength(1, 'a mini-program card needs pagepath'), z.maxLength(256), z.regex(/^[^/]/, 'pagepath has no leading "/"')),
    thumbMediaId: z.optional(z.string().check(z.minLength(1))),
  }),
]);

const Match = z.enum(['exact', 'contains']);

const KeywordRuleInputSchema = z.strictObject({
  keyword: z.string().check(z.trim(), z.minLength(1), z.maxLength(30)),
  match: z._default(Match, 'exact'),
  reply: KeywordReplySchema,
  priority: z._default(z.int().check(z.gte(0), z.lte(10_000)), 100),
});

const StoredKeywordRule = z.object({
  _id: z.string(),
  keyword: z.string(),
  match: Match,
  reply: KeywordReplySchema,
  priority: Count,
});

export const adminContract = defineContract('admin', {
  seed: {
    input: z.strictObject({}),
    output: z.object({
      articles: Count,
      campaigns: Count,
      scenes: z.array(z.object({ scene: z.string(), fileID: z.string(), created: z.boolean() })),
      keywordReplies: Count,
      couponTemplates: Count,
      products: Count,
      groupBuys: Count,
    }),
  },
  createArticleCode: {
    input: z.extend(ArticleCodeRow, CodeOptions),
    output: ArticleCodeView,
  },
  createArticleCodes: {
    input: z
      .strictObject({
        items: z.optional(z.array(z.record(z.string(), z.unknown()))),
        csv: z.optional(z.string().check(z.maxLength(1_000_000))),
        ...CodeOptions,
        /** Names the job's cursor; default: derived from the rows, so the same batch resumes. */
        jobId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
        /** At most this many codes per invocation (the rest on the next run). */
        chunkSize: z._default(z.int().check(z.gte(1), z.lte(500)), 100),
      })
      .check(
        z.refine((v) => (v.items === undefined) !== (v.csv === undefined), {
          message: 'give exactly one of items or csv',
          path: ['items'],
        }),
      ),
    output: z.object({
      jobId: z.string(),
      total: Count,
      done: Count,
      remaining: Count,
      created: Count,
      existing: Count,
      /** Rows finished so far, in input order. */
      results: z.array(BatchRowResult),
    }),
  },
  createMpQrCode: {
    input: z
      .strictObject({
        scene: z.optional(SceneKey),
        article: z.optional(Id),
        campaign: z.optional(Id),
        /** Default `mp_qr` for a new scene; given for an existing scene, it must match. */
        channel: z.optional(Channel),
        /** Default the home page for a new scene. */
        page: z.optional(PagePath),
        params: z.optional(Params),
        /** Permanent (QR_LIMIT_STR_SCENE, at most 100,000 per 公众号) or temporary (QR_STR_SCENE). */
        permanent: z._default(z.boolean(), true),
        expireSeconds: z.optional(z.int().check(z.gte(60), z.lte(2_592_000))),
      })
      .check(
        z.refine((v) => !(v.permanent && v.expireSeconds !== undefined), {
          message: 'expireSeconds is for temporary codes (permanent: false)',
          path: ['expireSeconds'],
        }),
      ),
    output: z.object({
      scene: z.string(),
      ticket: z.string(),
      url: z.string(),
      imageUrl: z.string(),
      permanent: z.boolean(),
      expiresAt: z.nullable(z.string()),
      /** False when an existing permanent code of the scene was returned. */
      created: z.boolean(),
    }),
  },
  setMpMenu: {
    input: z.strictObject({ buttons: z.array(MenuButtonSchema).check(z.maxLength(10)) }).check(
      z.superRefine((value, ctx) => {
        // appid may be filled from DUET_MINI_APPID on the server; only its absence there is an error.
        for (const issue of checkMenu(value.buttons)) {
          if (issue.path[issue.path.length - 1] === 'appid') continue;
          ctx.addIssue({ code: 'custom', path: ['buttons', ...issue.path], message: issue.message, input: value });
        }
      }),
    ),
    output: z.object({ buttons: z.array(MenuButtonSchema) }),
  },
  setKeywordReplies: {
    input: z.strictObject({ rules: z.array(KeywordRuleInputSchema).check(z.maxLength(200)) }).check(
      z.superRefine((value, ctx) => {
        for (const { index, first } of duplicateRules(value.rules)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', index, 'keyword'],
            message: `same keyword and match as rules.${first}`,
            input: value,
          });
        }
      }),
    ),
    output: z.object({ rules: z.array(StoredKeywordRule), removed: Count }),
  },
  listFailedPushes: {
    input: z.strictObject({ limit: z._default(z.int().check(z.gte(1), z.lte(200)), 50) }),
    output: z.object({
      pushes: z.array(
        z.object({
          key: z.string(),
          /** `failed`: the scheduler runs it again at `nextAttemptAt`; `dead`: retries used up. */
          state: z.enum(['failed', 'dead']),
          kind: z.string(),
          from: z.string(),
          createTime: z.string(),
          attempts: Count,
          reason: z.nullable(z.string()),
          failedAt: z.nullable(z.string()),
          nextAttemptAt: z.nullable(z.string()),
          requestId: z.nullable(z.string()),
        }),
      ),
    }),
  },
  syncFollowers: {
    input: z.strictObject({
      /** Start a finished sync again from the first follower; an unfinished one continues either way. */
      restart: z._default(z.boolean(), false),
      /** At most this many followers per invocation (default: as many as fit in 40 s); the rest on the next run. */
      chunkSize: z.optional(z.int().check(z.gte(1), z.lte(1_000_000))),
    }),
    output: z.object({
      /** Followers as WeChat last counted them. */
      total: Count,
      done: Count,
      /** 0 once the end of the list was reached: run again until then. */
      remaining: Count,
      /** New members (neither their 公众号 openid nor their unionid was known). */
      created: Count,
      /** Bound through their unionid to an existing member (e.g. a mini-program member). */
      bound: Count,
      /** Known 公众号 openid whose member now follows. */
      marked: Count,
      /** Already a following member: nothing written. */
      unchanged: Count,
      /** No longer following when looked at, or an unfollow pushed later stands. */
      notFollowing: Count,
      startedAt: z.string(),
      finishedAt: z.nullable(z.string()),
    }),
  },
  addAdmin: {
    input: z.strictObject({ memberId: Id }),
    output: z.object({ memberId: z.string(), created: z.boolean() }),
  },
});

export type AdminContract = typeof adminContract;
