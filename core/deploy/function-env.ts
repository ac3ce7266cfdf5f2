/**
 * The environment variables each deployed function reads (cloud console → 云函数 → <name> → 配置 →
 * 环境变量). WeChat Cloud keeps them per function and miniprogram-ci cannot set them, so this one
 * list drives the deploy checklist and the `doctor` job; a test compares it with what each built
 * bundle actually reads, so a new `process.env.DUET_*` cannot ship undeclared.
 */
export interface EnvVar {
  name: string;
  /** The function refuses to work without it (a missing optional one falls back to its default). */
  required: boolean;
  what: string;
}

const MP: readonly EnvVar[] = [
  { name: 'DUET_MP_APPID', required: true, what: "the 公众号's appid" },
  { name: 'DUET_MP_SECRET', required: true, what: "the 公众号's AppSecret" },
  { name: 'DUET_MP_TOKEN', required: true, what: '服务器配置 → 令牌(Token), 3-32 letters or digits' },
  { name: 'DUET_MINI_APPID', required: true, what: "the mini-program's appid (cards open it)" },
  { name: 'DUET_MP_AES_KEY', required: false, what: '服务器配置 → EncodingAESKey, for 安全模式 / 兼容模式' },
  { name: 'DUET_MP_API_BASE', required: false, what: 'default https://api.weixin.qq.com' },
  { name: 'DUET_MP_THUMB_MEDIA_ID', required: false, what: 'a permanent thumb media id for cards (default: uploaded once)' },
];

const PAY: readonly EnvVar[] = [
  { name: 'DUET_PAY_SUB_MCH_ID', required: true, what: 'the sub-merchant id bound in 云开发控制台 → 设置 → 微信支付配置' },
  { name: 'DUET_PAY_ENV_ID', required: false, what: 'the env whose payNotify WeChat Pay calls back (default: this env)' },
];

export const FUNCTION_ENV: Readonly<Record<string, readonly EnvVar[]>> = {
  admin: [
    ...MP,
    { name: 'DUET_MP_SHOWQRCODE_URL', required: false, what: 'where 公众号 QR images are fetched (default mp.weixin.qq.com)' },
  ],
  bargain: PAY,
  bargainAdmin: [],
  content: [],
  coupon: [],
  couponAdmin: [],
  funnelAdmin: MP,
  groupbuy: PAY,
  groupbuyAdmin: [],
  help: [],
  helpAdmin: [],
  lottery: PAY,
  lotteryAdmin: [],
  member: [],
  mpAdmin: MP,
  mpGateway: MP,
  notice: [],
  noticeAdmin: [
    ...MP,
    { name: 'DUET_MINIPROGRAM_STATE', required: false, what: 'formal (default), trial or developer: the version cards open' },
  ],
  order: PAY,
  orderAdmin: [
    ...PAY,
    { name: 'DUET_AUTO_COMPLETE_DAYS', required: false, what: 'days from shipment to auto-completion, 1-30 (default 7)' },
  ],
  payNotify: PAY,
  points: PAY,
  pointsAdmin: [],
  review: [],
  reviewAdmin: [],
  scheduler: PAY,
  setupAdmin: MP,
  shop: [],
  shopAdmin: [],
};
