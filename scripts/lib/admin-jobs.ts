import { type ConsoleJob, consoleFunctionOf, consoleJobContract } from '../../core/contracts/console';
import { describeFields } from './job-help';

export type AdminJob = ConsoleJob;

export interface JobDoc {
  summary: string;
  /** What follows the job name on the command line: inline JSON or @file (every example works on a freshly seeded `npm run dev`). */
  example?: string;
  /** A job that means nothing without its event prints its usage instead of running empty. */
  needsInput: boolean;
  notes: string[];
}

/** What `npm run admin -- help <job>` says besides the fields, which come from the job's contract. */
export const JOB_DOCS: Record<AdminJob, JobDoc> = {
  seed: {
    summary: 'demo articles, campaigns, article codes and keyword replies',
    needsInput: false,
    notes: ['Idempotent: fixed ids and times; it adds to what operators made and never removes anything.'],
  },
  createArticleCode: {
    summary: 'one article code (小程序码): a scene key → article, campaign, page; the image is made once',
    example: `'{"scene":"spring-wx0","article":"art-spring","campaign":"cmp-spring","page":"packages/campaign/detail/index","params":{"campaign":"cmp-spring"}}'`,
    needsInput: true,
    notes: [
      "scene: ≤ 32 of WeChat's characters; omit it for a generated 8-character key.",
      'page must be a page of the app; article and campaign must exist.',
      'The code opens the landing page (packages/entry/landing/index), which routes to `page`. checkPath (default true) needs that page released: pass false before.',
      'The same key with the same target returns the existing code; with another target: ALREADY_EXISTS.',
      'The image is written to ./article-codes/<scene>.png (--out DIR elsewhere).',
    ],
  },
  createArticleCodes: {
    summary: 'a batch of article codes from a CSV file (or items); resumes where it stopped',
    example: '@examples/codes.csv --out ./codes',
    needsInput: true,
    notes: [
      'CSV columns: scene,article,campaign,channel,page,params,expiresAt (params as k=v&k2=v2); ≤ 1,000 rows.',
      'Every row is checked first: any bad row → INVALID_ARGUMENT listing every bad line, nothing written.',
      'A run stops after chunkSize codes or 40 s; the CLI runs it again until done, printing n/total. Re-running never duplicates.',
    ],
  },
  createMpQrCode: {
    summary: '公众号 parametric QR code for posters, tied to a scene so follows and scans are attributed',
    example: `'{"scene":"spring-poster","campaign":"cmp-spring","page":"packages/campaign/detail/index","params":{"campaign":"cmp-spring"}}'`,
    needsInput: true,
    notes: ['Permanent (made once per scene, ≤ 100,000 per 公众号) by default; temporary with "permanent":false,"expireSeconds":604800.'],
  },
  setMpMenu: {
    summary: "the 公众号's custom menu",
    example: '@examples/menu.json',
    needsInput: true,
    notes: [
      '≤ 3 buttons, ≤ 5 sub-buttons; names ≤ 16 / 60 bytes (a Chinese character is 3).',
      'miniprogram needs pagepath and a url fallback for old clients (appid defaults to DUET_MINI_APPID); click needs key; view needs url.',
    ],
  },
  setKeywordReplies: {
    summary: 'replace the 公众号 keyword replies',
    example: '@examples/keyword-replies.json',
    needsInput: true,
    notes: ['New rules are written before stale ones are removed, so the gateway never sees an empty set.'],
  },
  syncFollowers: {
    summary: 'existing 公众号 followers become members who follow; resumes where it stopped',
    needsInput: false,
    notes: ['A finished sync answers at once; "restart":true runs it again (and binds nobody new).'],
  },
  listFailedPushes: {
    summary: '公众号 pushes whose handling failed: still retried by the scheduler (failed) or given up (dead)',
    needsInput: false,
    notes: ['Each with its reason, attempts and the request id of its last attempt (the log line to read).'],
  },
  createCouponTemplate: {
    summary: 'a coupon template: 立减, 满减, 折扣 or 无门槛, its validity, stock, per-member limit, claim window, who may claim',
    example: '@examples/coupon-template.json',
    needsInput: true,
    notes: [
      'template: name, terms {kind, amountOff | threshold+amountOff | percentOff+cap}, validity {type:"fixed",startsAt,endsAt} | {type:"days_after_claim",days}, totalStock, perMemberLimit, claimWindow {startsAt,endsAt}, eligibility ("anyone" | {newMembersWithinDays} | {campaign} | {article}), scope ("all" | {productIds}).',
      'Money in integer fen; times as ISO strings with their offset. Every problem is listed at once; nothing is written when there is one.',
      'The same id with the same template again answers the existing one (created: false); with other terms: ALREADY_EXISTS.',
    ],
  },
  updateCouponTemplate: {
    summary: 'more stock, pause, resume or end a coupon template early (terms never change)',
    example: `'{"templateId":"tpl-spring-99-20","addStock":100}'`,
    needsInput: true,
    notes: ['change: pause | resume | end. Asking for the state it is already in is not an error; an ended template takes no stock.'],
  },
  listCouponTemplates: {
    summary: 'coupon templates with stock left, claimed and used, newest first (optionally one campaign)',
    example: `'{"campaign":"cmp-spring"}'`,
    needsInput: false,
    notes: [],
  },
  setNewMemberPack: {
    summary: 'the coupons every new member receives once, on the first login (or first 公众号 follow)',
    example: `'{"templateIds":["tpl-welcome-8"],"trigger":"login"}'`,
    needsInput: true,
    notes: ['Members who joined before this is set get no pack. [] turns the pack off.'],
  },
  grantCoupons: {
    summary: 'one coupon of a template to each listed member (compensation, VIPs); resumable, once per member per batch',
    example: `'{"templateId":"tpl-store-5","batchId":"sorry-2026-12","memberIds":["<member _id>"]}'`,
    needsInput: true,
    notes: [
      'Takes stock like a claim; ignores claim windows, eligibility and the per-member limit.',
      'The CLI runs it again until done, printing n/total. Sold out: it stops (stoppedBy) — add stock and run the same command.',
      'A merged-away member id is granted to the member it became; unknown ids are listed.',
      '"segment":"<segment>" in place of memberIds grants to the members of a segment (funnelAdmin segments), listed on the first run and kept.',
    ],
  },
  reconcileCoupons: {
    summary: 'returns stock stranded by claims that died between taking stock and writing the coupon (the scheduler runs it too)',
    needsInput: false,
    notes: ['Only templates quiet for 2 minutes are checked; busy ones are listed and checked on a later run.'],
  },
  createProduct: {
    summary: 'a product with its SKUs (specs, price in fen, stock) and images in cloud storage',
    example: '@examples/product.json --image examples/product.png',
    needsInput: true,
    notes: [
      'product: name (≤ 30 characters), description, images (1–9 cloud:// file ids), onShelf (default false), skus [{ id, specs {"颜色":"红","尺码":"M"}, price (fen ≥ 1), stock (≥ 0) }].',
      '--image FILE (repeatable) uploads a PNG, JPEG, WebP or GIF to cloud storage and adds its file id to images: the app never loads external URLs.',
      'Every problem is listed at once; nothing is written when there is one. SKU ids are unique across all products.',
      'The same id with the same product again answers the existing one (created: false); price, stock and shelf are not compared (updateProduct changes them).',
    ],
  },
  updateProduct: {
    summary: "a product's SKU prices, stock added, or its shelf state",
    example: `'{"productId":"prd-spring-tea","onShelf":true,"skus":[{"skuId":"sku-spring-tea-250","price":15800}]}'`,
    needsInput: true,
    notes: [
      'skus: [{ skuId, price?, addStock? }]; onShelf: true | false. Stock is added on the server, so concurrent adds all count.',
      'Any problem (an unknown SKU, a SKU listed twice, nothing to change) refuses the whole update: nothing is written.',
    ],
  },
  listProducts: {
    summary: 'products with their SKUs and stock, newest first (optionally one campaign, on or off the shelf)',
    example: `'{"campaign":"cmp-spring"}'`,
    needsInput: false,
    notes: [],
  },
  listOrders: {
    summary: 'orders newest first, optionally one state and/or one member, with lines, refunds and shipment',
    example: `'{"state":"paid","limit":20}'`,
    needsInput: false,
    notes: ['limit: 1–500 (default 50). Money in fen; each line shows the units already promised to refunds.'],
  },
  shipOrder: {
    summary: 'paid orders → shipped with carrier and tracking number: one, a batch, or a CSV (resumable)',
    example: `'{"shipments":[{"orderId":"<order _id>","carrier":"顺丰速运","trackingNo":"SF1234567890"}]}'`,
    needsInput: true,
    notes: [
      '--csv FILE: columns orderId,carrier,trackingNo with a header line (UTF-8, with or without BOM; Chinese carrier names are fine). Sent in chunks of 200 with progress; a bad row is reported with its line number and the others go on.',
      'Each order answers shipped, already_shipped (it carries this shipment: nothing changes, so running the same file again is safe) or refused with a reason (not paid, a whole refund open, another tracking number, no such order). Any refused or bad row: exit code 1.',
      "Writes the order.shipped notice once. The scheduler completes a shipped order DUET_AUTO_COMPLETE_DAYS days later (the orderAdmin function's environment variable, 1–30, default 7) unless the member confirms receipt first.",
    ],
  },
  refundOrder: {
    summary: "an operator's refund: the whole order or some units of lines, after payment (also shipped or completed)",
    example: `'{"orderId":"<order _id>","lines":[{"skuId":"sku-spring-tea-250","quantity":1}],"reason":"破损补偿","requestId":"refund-2026-0001"}'`,
    needsInput: true,
    notes: [
      'No lines: everything not refunded yet. Units are priced so that refunding them one by one adds up to exactly what the line paid; together refunds never exceed the payment.',
      'The same requestId answers the same refund (created: false); the same requestId with other units is ALREADY_EXISTS. Use a new requestId for each refund.',
      'Recorded as requested; the scheduler (driveRefunds) submits it to WeChat Pay and retries with the same out_refund_no until it succeeds. A refund of the rest of the order moves it to refunding, then refunded.',
    ],
  },
  listStuckRefunds: {
    summary: 'refunds not finished an hour after they were asked for, with attempts, last error and next attempt',
    example: `'{"olderThanMinutes":60}'`,
    needsInput: false,
    notes: [
      'olderThanMinutes: default 60; 0 lists every unfinished refund. The scheduler keeps retrying them (1, 2, 4 … 60 minutes apart).',
    ],
  },
  retryRefund: {
    summary: 'works on one refund now instead of at its next backoff (submits again with the same out_refund_no)',
    example: `'{"refundId":"<refund id, from listStuckRefunds>"}'`,
    needsInput: true,
    notes: [
      'Answers the refund as it is afterwards: submitted, or still requested/failed with attempts and lastError. Never pays twice: the number does not change.',
    ],
  },
  listPaymentIssues: {
    summary: 'payments that matched no order (unknown, paid after cancel, wrong amount) and the refund that returns each',
    needsInput: false,
    notes: ['Newest first, at most 200. A wrong amount is kept for an operator and never marks the order paid.'],
  },
  createGroupBuy: {
    summary: 'a group-buy (拼团) activity: SKUs at a group price, group size, hours to fill, window, stock, limits',
    example: '@examples/group-buy.json',
    needsInput: true,
    notes: [
      'activity: title (≤ 30), productId, skus [{ skuId, groupPrice (fen, below the SKU price) }], size (2–10), fillHours (1–72), startAt, endAt (ISO times with offset), stock (units the activity may sell).',
      'Optional: perMemberLimit (seats per member across the activity\'s groups, default 1), leaderNewMembersOnly (default false), simulateMinPaid (模拟成团: at the deadline a group with at least this many paid members succeeds anyway; default off), holdMinutes (seat held for payment, 1–30, default 10), latePayment ("place": a payment that lost its seat goes into another open group with room, else refunded — the default; "refund": always refunded), couponsAllowed (default false).',
      'Every problem is listed at once; nothing is written when there is one. The same id with the same settings again answers the existing activity (created: false).',
    ],
  },
  updateGroupBuy: {
    summary: "a group-buy activity's title, end, stock added, per-member limit, 模拟成团, late-payment rule, or pause",
    example: `'{"activityId":"gb-spring-mug","addStock":50}'`,
    needsInput: true,
    notes: [
      'Size and group prices never change: members paid for them. A paused activity opens no new groups; groups already open run to their end.',
    ],
  },
  listGroupBuys: {
    summary: 'group-buy activities with their groups open / succeeded / failed, paid seats and revenue (fen)',
    example: `'{"activityId":"gb-spring-mug"}'`,
    needsInput: false,
    notes: ["revenue: fen paid for the activity's orders less what was refunded (failed groups refund themselves)."],
  },
  createBargain: {
    summary: '砍价 with fixed steps: a SKU, a floor price, N friends each cutting the same fixed amount, a window, how long a task lasts',
    example: '@examples/bargain.json',
    needsInput: true,
    notes: [
      "bargain: title (≤ 30), skuId (a task starts at the SKU's price as it is now), floorPrice (fen ≥ 1), friends (1–50), startAt, endAt (ISO times with offset), taskHours (1–168, never past endAt).",
      'Every cut is floor((price − floorPrice) ÷ friends) fen, the remainder on the last: price − floorPrice must be at least friends (each cut ≥ 1 fen). The row shows every cut and the rule line the page shows.',
      "Optional: stock (tasks that may be started in all; default no limit but the SKU's own stock), perMemberLimit (tasks one member may start, default 1).",
      'The member buys at the current price (quantity 1, no coupon) any time while the task runs; a paid order closes the task.',
      'Every problem is listed at once; nothing is written when there is one. The same id with the same settings again answers the existing bargain (created: false).',
    ],
  },
  runBargainJobs: {
    summary: 'the bargain job now: reconcileBargainStock (units a crashed start stranded go back; the scheduler runs it every minute)',
    example: `'{"jobs":["reconcileBargainStock"]}'`,
    needsInput: true,
    notes: [
      'A bargain is reconciled two quiet minutes after its last start: stock − stock left − tasks goes back, with a compare-and-set.',
    ],
  },
  listBargains: {
    summary: 'bargains newest first (or one by id): price, floor, the cuts, window, stock left, tasks started',
    example: `'{"bargainId":"bg-spring-cream"}'`,
    needsInput: false,
    notes: [],
  },
  setPointsRules: {
    summary:
      'how members earn points: check-in (+ 7-day streak bonus), following the 公众号, per yuan paid, inviting a new member; daily caps; expiry',
    example: `'{"checkIn":{"points":5,"streakBonus":20},"purchase":{"pointsPerYuan":2,"dailyCap":5000}}'`,
    needsInput: true,
    notes: [
      'Parts: checkIn { points, streakBonus } (once per person per day, shared with 签到 sent to the 公众号), follow { points } (once per person), purchase { pointsPerYuan, dailyCap } (granted on payment, taken back on refund), invite { points, dailyCap } (a friend who becomes a new member through a share, once per friend), expiry { mode: "never" | "days" (with days) | "next_year_end" }.',
      'A part given replaces that part; parts not given keep their values (defaults: 5 + 20 on the 7th day, 50, 1 per yuan capped at 5000 a day, 100 capped at 500 a day, end of the next calendar year). A rule with 0 points is off.',
    ],
  },
  getPointsRules: { summary: 'the earning rules in force (the defaults where none were set)', needsInput: false, notes: [] },
  createMallItem: {
    summary: 'a points-mall item: a coupon template, a product for points, or a product for points + cash; stock, per-member limit, window',
    example: '@examples/mall-item.json',
    needsInput: true,
    notes: [
      'item: kind ("coupon" with templateId | "product" with skuId | "points_cash" with skuId and cash in fen below the SKU price), title (≤ 30), points, stock, startAt, endAt; perMemberLimit (default 1).',
      'An exchange is atomic: points, a unit of stock and the coupon or order — or nothing. A points + cash item places an order for the cash part; unpaid, it is cancelled and the points go back.',
      'Every problem is listed at once; nothing is written when there is one. The same id with the same settings again answers the existing item (created: false).',
    ],
  },
  updateMallItem: {
    summary: "a mall item's title, end, stock added, per-member limit, or pause",
    example: `'{"itemId":"mi-store-5","addStock":100}'`,
    needsInput: true,
    notes: ['Kind and prices never change: pause the item and make a new one.'],
  },
  listMallItems: {
    summary: 'mall items with stock left and their exchanges by state',
    example: `'{"itemId":"mi-store-5"}'`,
    needsInput: false,
    notes: [],
  },
  adjustPoints: {
    summary:
      "grant (delta > 0) or deduct (delta < 0) a member's points by hand, with a reason; once per requestId; the operator is recorded",
    example: `'{"memberId":"<member _id, from the members collection>","delta":100,"reason":"客服补偿","requestId":"adjust-0001"}'`,
    needsInput: true,
    notes: [
      'A deduction never takes a balance below zero (refused, nothing written). The ledger entry keeps the operator and the reason: the audit trail.',
    ],
  },
  listReviews: {
    summary: 'reviews newest first, of one product or all, optionally only visible or hidden ones',
    example: `'{"productId":"prd-spring-tea","state":"visible"}'`,
    needsInput: false,
    notes: ['Rows carry the member id and order id (operators only); the app never shows them.'],
  },
  seedReviews: {
    summary: 'the demo reviews on the demo shop (npm run dev runs it after seed); each written once with its product stats',
    needsInput: false,
    notes: ['Idempotent: fixed ids; a review already there (even hidden) is left as it is.'],
  },
  hideReview: {
    summary: 'take a review off the product page and out of its average and count, once; the operator and the reason are recorded',
    example: `'{"reviewId":"demo-review-order-1:0","reason":"与商品无关"}'`,
    needsInput: true,
    notes: [
      'A second run answers already_hidden and changes nothing. The points the review earned stay with the member.',
      'reviewId is <orderId>:<line index>, as listReviews prints it.',
    ],
  },
  runPointsJobs: {
    summary: 'run the points jobs now (settle exchanges, expire points, expiring notices); the scheduler runs them every minute',
    example: `'{"jobs":["settleExchanges","expirePoints","pointsExpiringNotices"]}'`,
    needsInput: true,
    notes: ["Each job runs under its lease, like the scheduler's own: a run beside the scheduler's skips what it holds."],
  },
  createLottery: {
    summary:
      'a points lottery: a prize table (coupons, points, products, one thanks) with published odds per 10,000, stock and fallbacks; price per draw; daily limits; window',
    example: '@examples/lottery.json',
    needsInput: true,
    notes: [
      'prizes: id, kind ("coupon" with templateId | "points" with points | "product" with skuId | "thanks"), title, odds (parts per 10,000; all sum to exactly 10000), stock (not on thanks), fallback (the prize it becomes when out of stock; default thanks).',
      'price: points per draw; perMemberDaily: draws per member per day (Asia/Shanghai); totalDaily (optional): draws per day for everyone.',
      'Every problem is listed at once with its path; nothing is written when there is one. Odds and prizes never change once published: the same id with the same table answers it (created: false), with another ALREADY_EXISTS.',
      'A product prize is delivered through the orders path at no cash once the winner gives an address in the app.',
    ],
  },
  pauseLottery: {
    summary: 'pause (or resume) draws of a lottery',
    example: `'{"lotteryId":"lt-spring","paused":false}'`,
    needsInput: true,
    notes: [],
  },
  lotteryReport: {
    summary: 'lotteries with stock left per prize, prizes won, draws by state, points taken and unclaimed product prizes',
    example: `'{"lotteryId":"lt-spring"}'`,
    needsInput: false,
    notes: [],
  },
  runLotteryJobs: {
    summary: 'run the lottery job now (settle draws a crash left pending, return stranded prize units); the scheduler runs it every minute',
    example: `'{"jobs":["settleDraws"]}'`,
    needsInput: true,
    notes: ["Runs under its lease, like the scheduler's own: a run beside the scheduler's skips what it holds."],
  },
  runMpJobs: {
    summary: 'run the 公众号 jobs now (replay pushes whose handling failed); the scheduler runs them every minute',
    example: `'{"jobs":["replayPushes"]}'`,
    needsInput: true,
    notes: ["Each job runs under its lease, like the scheduler's own."],
  },
  dispatchNotices: {
    summary: 'send the notices that are due now (subscription messages, 公众号 fallback); the scheduler runs it every minute',
    needsInput: false,
    notes: [
      'Safe beside the scheduler and another run: each notice is claimed under a lease and sent once.',
      'Prints what happened: sent, fell back to the 公众号, skipped, failed, retried later, deferred past quiet hours.',
    ],
  },
  funnel: {
    summary: 'the funnel per article, campaign, channel or sharer over a period, beside the previous period of equal length',
    example: `'{"from":"2026-11-01","to":"2026-11-30","by":"article","model":"last_non_direct"}' --csv funnel.csv --chart funnel.svg`,
    needsInput: true,
    notes: [
      'by: article | campaign | channel | sharer; model: first | last | last_non_direct (default; 7-day window). Days are Asia/Shanghai, both included.',
      'Reads the nightly snapshots only (a few database requests whatever the number of events); days not snapshotted yet are listed as missing — snapshotFunnel computes them.',
      'Money counts on the day of its order: a refund days later lowers that day. Change: against the period just before; "new" when that was zero.',
      '--csv FILE writes the table (UTF-8 with BOM, opens in Excel); --chart FILE.svg draws net yuan per row and per day.',
    ],
  },
  articleReport: {
    summary: "one article's steps — 公众号 reads, scans, new members, payers, yuan — with the drop-off between them",
    example: `'{"article":"art-spring","from":"2026-11-01","to":"2026-11-30"}'`,
    needsInput: true,
    notes: ['Reads come from the 公众号 datacube (pullDatacube stores them nightly); the rest from the funnel snapshots.'],
  },
  segments: {
    summary: 'members per segment: new, active, dormant, lapsed, and the eight RFM cells over 365 days of paid orders',
    needsInput: false,
    notes: [
      'new: joined ≤ 7 days ago (also counted in active); active: last active ≤ 30 days ago; dormant: 31–90; lapsed: more than 90. Last active = the day of the latest login, else the day the member joined. Days are Asia/Shanghai.',
      'RFM: paid, shipped and completed orders paid in the last 365 days, each for what is left after refunds (wholly refunded orders do not count). Each measure is high when at least as good as the average over the payers (a tie is high).',
      'Merged-away members are in no segment; their orders count for the member they became.',
    ],
  },
  segmentMembers: {
    summary: 'the members of one segment, a page at a time (--csv FILE writes every page)',
    example: `'{"segment":"active"}' --csv active.csv`,
    needsInput: true,
    notes: [
      'Pages in member id order: pass the cursor a page answers to get the next one (limit 1–1000, default 100); every member comes once.',
      '--csv FILE: every page into one CSV (UTF-8 with BOM, opens in Excel; nicknames that look like formulas are defused). Orders and yuan are of the last 365 days.',
      'A segment can also be the audience of grantCoupons and broadcast ("segment" in place of memberIds): its members are listed on the first run and kept, so a run that resumes adds nobody who entered the segment since.',
    ],
  },
  snapshotFunnel: {
    summary: "the funnel's nightly snapshot now: yesterday and the days before it again (or from/to); resumes where it stopped",
    example: `'{"from":"2026-11-24","to":"2026-11-30"}'`,
    needsInput: false,
    notes: [
      'The scheduler runs it every night after 00:10 Asia/Shanghai, recomputing the last 7 days so late refunds and callbacks land on their day.',
      'Re-running a day writes the same rows. The CLI runs it again while it answers more: true.',
    ],
  },
  pullDatacube: {
    summary: "the 公众号's own numbers (follows by source, article reads) for the days not stored yet",
    needsInput: false,
    notes: [
      'The scheduler runs it every minute; a day is asked for from 08:00 Asia/Shanghai the next day, so most minutes cost one read and no call.',
      'A refused day (61500, 61501, -1) is asked again after 1 h, 2 h, 4 h … at most daily; 45009 (quota) holds that API until midnight. from/to (≤ 31 days) pulls those days again.',
    ],
  },
  runFunnelJobs: {
    summary: 'run the funnel jobs now as the scheduler does (snapshot, datacube pull)',
    example: `'{"jobs":["snapshotFunnel","pullDatacube"]}'`,
    needsInput: true,
    notes: ["Each job runs under its lease, like the scheduler's own."],
  },
  runNoticeJobs: {
    summary: 'run the notice jobs now as the scheduler does (the dispatcher under its job lease)',
    example: `'{"jobs":["dispatchNotices"]}'`,
    needsInput: true,
    notes: ["Each job runs under its lease, like the scheduler's own."],
  },
  broadcast: {
    summary: 'a campaign message to listed members or to every member holding a grant for a template; dry run, resumable, once per member',
    example: `'{"broadcastId":"spring-2026","title":"春季上新","content":"新品 8 折，仅限本周","template":"TPL_CAMPAIGN","dryRun":true}'`,
    needsInput: true,
    notes: [
      'Give one audience: memberIds (a list), template (every member holding a grant for it) or segment (its members when the broadcast starts, kept for the runs that resume it).',
      'dryRun: counts who would get it by subscription message, by 公众号 template message (followers without a grant) or not at all; writes nothing.',
      'Writes one notice per member (campaign:<broadcastId>:<member>); the dispatcher sends them, after the quiet hours (promotional).',
      'The CLI runs it again until done, printing n/total; the same command resumes a broadcast that stopped.',
    ],
  },
  noticeReport: {
    summary: 'what became of the notices: per kind and channel sent, fell back, skipped and failed by reason, pending; the latest failures',
    example: `'{"from":"2026-12-01T00:00:00+08:00"}'`,
    needsInput: false,
    notes: ['from/to bound when the notices were written (default: all).'],
  },
  noticeSettings: {
    summary: 'quiet hours for promotional notices, attempts per notice, sends at once; with no fields prints the current settings',
    example: `'{"quietHours":{"start":"22:00","end":"08:00"},"maxAttempts":5}'`,
    needsInput: false,
    notes: ['Quiet hours are Asia/Shanghai; transactional notices (orders, refunds, group results) never wait. null turns them off.'],
  },
  auditPoints: {
    summary: 'recompute every balance from the points ledger and report differences; with "fix": true set each balance to its ledger sum',
    example: `'{"fix":false}'`,
    needsInput: false,
    notes: ['Pages through members within 45 s; complete: false means run it again. A negative ledger sum is reported, never written.'],
  },
  createHelpCampaign: {
    summary: '助力 (friend help): N friends help a member, who then gets a coupon or points; who may help, daily limit, helper points',
    example: '@examples/help-campaign.json',
    needsInput: true,
    notes: [
      'campaign: title (≤ 30), reward ({"kind":"coupon","templateId"} | {"kind":"points","points"}), helpersNeeded (exact, shown up front), startAt, endAt, taskHours, audience ("new_members": joined after the task started | "not_helped": has not helped in this campaign), dailyLimit (helps per helper per day), helperPoints (optional, once per counted help).',
      'Nothing is tied to a share: the reward follows friends who really take part (PLATFORM.md). The same id with the same campaign again answers it (created: false).',
    ],
  },
  listHelpCampaigns: {
    summary: '助力 campaigns with their rule line and tasks by state',
    example: `'{"campaignId":"hc-demo-new-friends"}'`,
    needsInput: false,
    notes: [],
  },
  helpReport: {
    summary: "a 助力 campaign's suspicious tasks: helpers with no other activity, bursts of helps",
    example: `'{"campaignId":"hc-demo-new-friends","burstWindowSeconds":600,"burstHelps":3}'`,
    needsInput: true,
    notes: [
      'Reads the first 1,000 helps of the campaign. A helper is active with any visit, scan, claim, order or group event of their own.',
    ],
  },
  runHelpJobs: {
    summary: 'run the help sweep now (finish cut-off helps, issue unrecorded rewards, expire tasks); the scheduler runs it every minute',
    example: `'{"jobs":["settleHelps"]}'`,
    needsInput: true,
    notes: [],
  },
  addAdmin: {
    summary: 'let a member run admin jobs from the app',
    example: `'{"memberId":"<member _id, from the members collection>"}'`,
    needsInput: true,
    notes: ['Idempotent; an admin stays an admin when their members merge.'],
  },
  doctor: {
    summary: 'checks a deployed environment: collections, unique indexes, functions and their variables, the 公众号, templates',
    needsInput: false,
    notes: [
      'Run it from the cloud console after each deploy (云函数 → setupAdmin → 云端测试, {"action":"doctor"}); exits 1 naming every failed check.',
      'A unique index is probed with two scratch documents (`doctor-probe-…`) that are removed at once: the SDK cannot list indexes.',
      'Variables are per function: each function reports the names (never the values) of its DUET_ variables that are set.',
    ],
  },
};

export function isAdminJob(name: string): name is AdminJob {
  return Object.hasOwn(JOB_DOCS, name);
}

/** The whole usage of one job: what it does, its fields (from the contract), an example, notes. */
export function jobUsage(job: AdminJob): string {
  const doc = JOB_DOCS[job];
  const lines = [
    `${job} — ${doc.summary}`,
    '',
    `Usage: npm run admin -- ${job} ${doc.needsInput ? "'<json>' | @file.json" : "['<json>']"}${job === 'createArticleCodes' ? ' | @file.csv' : ''}${job === 'shipOrder' ? ' | --csv FILE' : ''}${job === 'segmentMembers' ? ' [--csv FILE]' : ''}${job === 'createProduct' ? ' [--image FILE]…' : ''} [--out DIR]`,
    '',
    'Fields:',
    ...describeFields(consoleJobContract(job).input).map((line) => `  ${line}`),
  ];
  if (doc.example) lines.push('', 'Example:', `  npm run admin -- ${job} ${doc.example}`);
  if (doc.notes.length > 0) lines.push('', ...doc.notes.map((note) => `- ${note}`));
  lines.push('', `From the cloud console: 云函数 → ${consoleFunctionOf(job)} → 云端测试 with {"action":"${job}", ...the fields}.`);
  return lines.join('\n');
}

/** Every job in a line, for `npm run admin -- help`. */
export function jobsOverview(): string {
  const lines = [
    'Usage: npm run admin -- <job> [json | @file.json | @file.csv] [--out DIR] [--image FILE] [--csv FILE]',
    '       npm run admin -- help <job>      fields, an example and notes for one job',
    '',
    'Runs a console job (of the admin, couponAdmin, shopAdmin or orderAdmin cloud function) on the local cloud',
    '(DUET_EMULATOR_URL, default http://127.0.0.1:8790) as the cloud console.',
    '',
    'Jobs:',
  ];
  for (const [job, doc] of Object.entries(JOB_DOCS)) lines.push(`  ${job.padEnd(22)} ${doc.summary}`);
  return lines.join('\n');
}
