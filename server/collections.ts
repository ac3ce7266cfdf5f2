/**
 * Every collection the functions use, by one name each. A collection named here must exist in
 * `cloud/schema.json` (a test checks it), and code names collections only through this object
 * (another test refuses a literal collection name anywhere under server/), so a collection the code uses
 * can never be missing from the deployed schema.
 */
export const COLLECTIONS = {
  members: 'members',
  identities: 'identities',
  events: 'events',
  scenes: 'scenes',
  articles: 'articles',
  campaigns: 'campaigns',
  admins: 'admins',
  jobCursors: 'job_cursors',
  keywordReplies: 'keyword_replies',
  mpTokens: 'mp_tokens',
  mpPushesSeen: 'mp_pushes_seen',
  mpNonces: 'mp_nonces',
  couponTemplates: 'coupon_templates',
  coupons: 'coupons',
  settings: 'settings',
  notices: 'notices',
  subscribeGrants: 'subscribe_grants',
  orders: 'orders',
  products: 'products',
  skus: 'skus',
  stockReservations: 'stock_reservations',
  refunds: 'refunds',
  paymentIssues: 'payment_issues',
  groupbuyActivities: 'groupbuy_activities',
  groups: 'groups',
  groupbuyLimits: 'groupbuy_limits',
  pointsLedger: 'points_ledger',
  mallItems: 'mall_items',
  exchanges: 'exchanges',
  mallLimits: 'mall_limits',
  funnelDaily: 'funnel_daily',
  funnelRuns: 'funnel_runs',
  mpDatacube: 'mp_datacube',
  bargains: 'bargains',
  bargainTasks: 'bargain_tasks',
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];
