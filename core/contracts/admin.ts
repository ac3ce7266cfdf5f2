import { z } from 'zod';
import { duplicateRules } from '../admin/keyword-rules';
import { checkMenu, MENU_BUTTON_TYPES, type MenuButton } from '../admin/mp-menu';
import { defineContract } from '../contract';
import { checkSceneKey } from '../entry/scene';

/**
 * The `admin` function's console jobs. Operators send these as JSON events from the cloud
 * console or `npm run admin`; the app never calls them (so this contract stays out of
 * contracts/index.ts and the main package).
 */

export const SceneKey = z.string().superRefine((value, ctx) => {
  const check = checkSceneKey(value);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
});

/** An app page as wxacode and the router take it: no leading `/`, no query. */
export const PagePath = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9_\-/]*$/, 'page is an app page path without a leading "/" or a query, e.g. pages/index/index')
  .refine((page) => !page.split('/').includes('..') && !page.endsWith('/'), 'page is not a valid app page path');

const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\s]+$/, 'no spaces');
const Channel = z.string().regex(/^[a-z0-9_]{1,32}$/, 'channel is 1-32 of a-z, 0-9, _ (e.g. article, poster, menu)');
const Params = z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'param names are 1-32 of A-Z a-z 0-9 _ . -'), z.string().max(256));
const IsoDateTime = z.iso.datetime({ offset: true });

/** One article code: the key (optional: generated) and where it leads. */
export const ArticleCodeRow = z
  .object({
    scene: SceneKey.optional(),
    article: Id,
    campaign: Id.optional(),
    channel: Channel.default('article'),
    page: PagePath,
    params: Params.optional(),
    expiresAt: IsoDateTime.optional(),
  })
  .strict();

const CodeOptions = {
  /** wxacode's check_path: the code's page must exist in the released version (turn off before release). */
  checkPath: z.boolean().default(true),
  envVersion: z.enum(['release', 'trial', 'develop']).default('release'),
};

export const ArticleCodeView = z.object({
  scene: z.string(),
  article: z.string().nullable(),
  campaign: z.string().nullable(),
  channel: z.string(),
  page: z.string(),
  params: z.record(z.string(), z.string()),
  /** The page the code opens (the landing page), which routes to `page`. */
  codePage: z.string(),
  fileID: z.string(),
  tempFileURL: z.string(),
  expiresAt: z.string().nullable(),
  /** False when the key already existed with the same target (nothing generated). */
  created: z.boolean(),
});
export type ArticleCodeView = z.infer<typeof ArticleCodeView>;

export const BatchRowResult = z.object({
  line: z.number().int(),
  scene: z.string(),
  status: z.enum(['created', 'existing']),
  fileID: z.string(),
  tempFileURL: z.string().optional(),
});

const MenuButtonSchema: z.ZodType<MenuButton> = z.lazy(() =>
  z
    .object({
      name: z.string(),
      type: z.enum(MENU_BUTTON_TYPES).optional(),
      key: z.string().optional(),
      url: z.string().optional(),
      appid: z.string().optional(),
      pagepath: z.string().optional(),
      media_id: z.string().optional(),
      article_id: z.string().optional(),
      sub_button: z.array(MenuButtonSchema).optional(),
    })
    .strict(),
);

const KeywordReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), content: z.string().trim().min(1).max(600) }).strict(),
  z
    .object({
      type: z.literal('miniprogrampage'),
      title: z.string().trim().min(1, 'a mini-program card needs title').max(64),
      pagepath: z.string().min(1, 'a mini-program card needs pagepath').max(256).regex(/^[^/]/, 'pagepath has no leading "/"'),
      thumbMediaId: z.string().min(1).optional(),
    })
    .strict(),
]);

const KeywordRuleInputSchema = z
  .object({
    keyword: z.string().trim().min(1).max(30),
    match: z.enum(['exact', 'contains']).default('exact'),
    reply: KeywordReplySchema,
    priority: z.number().int().min(0).max(10_000).default(100),
  })
  .strict();

const StoredKeywordRule = z.object({
  _id: z.string(),
  keyword: z.string(),
  match: z.enum(['exact', 'contains']),
  reply: KeywordReplySchema,
  priority: z.number().int(),
});

export const adminContract = defineContract('admin', {
  seed: {
    input: z.object({}).strict(),
    output: z.object({
      articles: z.number().int(),
      campaigns: z.number().int(),
      scenes: z.array(z.object({ scene: z.string(), fileID: z.string(), created: z.boolean() })),
      keywordReplies: z.number().int(),
    }),
  },
  createArticleCode: {
    input: ArticleCodeRow.extend(CodeOptions).strict(),
    output: ArticleCodeView,
  },
  createArticleCodes: {
    input: z
      .object({
        items: z.array(z.record(z.string(), z.unknown())).optional(),
        csv: z.string().max(1_000_000).optional(),
        ...CodeOptions,
        /** Names the job's cursor; default: derived from the rows, so the same batch resumes. */
        jobId: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/)
          .optional(),
        /** At most this many codes per invocation (the rest on the next run). */
        chunkSize: z.number().int().min(1).max(500).default(100),
      })
      .strict()
      .refine((v) => (v.items === undefined) !== (v.csv === undefined), { message: 'give exactly one of items or csv', path: ['items'] }),
    output: z.object({
      jobId: z.string(),
      total: z.number().int(),
      done: z.number().int(),
      remaining: z.number().int(),
      created: z.number().int(),
      existing: z.number().int(),
      /** Rows finished so far, in input order. */
      results: z.array(BatchRowResult),
    }),
  },
  createMpQrCode: {
    input: z
      .object({
        scene: SceneKey.optional(),
        article: Id.optional(),
        campaign: Id.optional(),
        /** Default `mp_qr` for a new scene; given for an existing scene, it must match. */
        channel: Channel.optional(),
        /** Default the home page for a new scene. */
        page: PagePath.optional(),
        params: Params.optional(),
        /** Permanent (QR_LIMIT_STR_SCENE, at most 100,000 per 公众号) or temporary (QR_STR_SCENE). */
        permanent: z.boolean().default(true),
        expireSeconds: z.number().int().min(60).max(2_592_000).optional(),
      })
      .strict()
      .refine((v) => !(v.permanent && v.expireSeconds !== undefined), {
        message: 'expireSeconds is for temporary codes (permanent: false)',
        path: ['expireSeconds'],
      }),
    output: z.object({
      scene: z.string(),
      ticket: z.string(),
      url: z.string(),
      imageUrl: z.string(),
      permanent: z.boolean(),
      expiresAt: z.string().nullable(),
      /** False when an existing permanent code of the scene was returned. */
      created: z.boolean(),
    }),
  },
  setMpMenu: {
    input: z
      .object({ buttons: z.array(MenuButtonSchema) })
      .strict()
      .superRefine((value, ctx) => {
        // appid may be filled from DUET_MINI_APPID on the server; only its absence there is an error.
        for (const issue of checkMenu(value.buttons)) {
          if (issue.path[issue.path.length - 1] === 'appid') continue;
          ctx.addIssue({ code: 'custom', path: ['buttons', ...issue.path], message: issue.message });
        }
      }),
    output: z.object({ buttons: z.array(MenuButtonSchema) }),
  },
  setKeywordReplies: {
    input: z
      .object({ rules: z.array(KeywordRuleInputSchema).max(200) })
      .strict()
      .superRefine((value, ctx) => {
        for (const { index, first } of duplicateRules(value.rules)) {
          ctx.addIssue({ code: 'custom', path: ['rules', index, 'keyword'], message: `same keyword and match as rules.${first}` });
        }
      }),
    output: z.object({ rules: z.array(StoredKeywordRule), removed: z.number().int() }),
  },
  addAdmin: {
    input: z.object({ memberId: Id }).strict(),
    output: z.object({ memberId: z.string(), created: z.boolean() }),
  },
});

export type AdminContract = typeof adminContract;
