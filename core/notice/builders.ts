import { fitKeyword, type KeywordValue } from './keywords';

/** Every notice kind the features write (`notices.kind`): each has a builder here and a mapping in the templates file. */
export const NOTICE_KINDS = [
  'coupon.expiring',
  'order.paid',
  'order.shipped',
  'refund.succeeded',
  'group.succeeded',
  'group.failed',
  'group.placed',
  'group.late_refund',
  'points.expiring',
  'campaign',
  'review.invite',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

type Data = Record<string, unknown>;
type Fields = Record<string, KeywordValue>;

const text = (value: unknown, fallback = '') => (typeof value === 'string' || typeof value === 'number' ? String(value) : fallback);
const money = (yuan: unknown) => `¥${text(yuan, '0')}`;
const goods = (data: Data) => text(data.goods, '商品');

/**
 * What each kind says, as named fields (the templates file picks which field fills which keyword).
 * The features wrote the data in display form already (`goods`, yuan as `amount`); times are ISO strings.
 */
export const NOTICE_FIELDS: Record<NoticeKind, (data: Data) => Fields> = {
  'coupon.expiring': (data) => ({
    name: text(data.name, '优惠券'),
    summary: text(data.summary),
    validUntil: new Date(text(data.validUntil)),
    tip: '优惠券即将到期，记得使用哦',
  }),
  'order.paid': (data) => ({
    goods: goods(data),
    amount: money(data.amount),
    orderId: text(data.orderId),
    status: '支付成功',
    tip: '我们会尽快为你发货',
  }),
  'order.shipped': (data) => ({
    goods: goods(data),
    carrier: text(data.carrier, '快递'),
    trackingNo: text(data.trackingNo),
    status: '已发货',
    tip: '包裹已在路上，请留意查收',
  }),
  'refund.succeeded': (data) => ({
    goods: goods(data),
    amount: money(data.refundAmount),
    reason: text(data.reason, '退款'),
    orderId: text(data.orderId),
    status: '退款成功',
    tip: '款项将原路退回，请留意到账',
  }),
  'group.succeeded': (data) => ({ goods: goods(data), amount: money(data.amount), status: '拼团成功', tip: '成团啦，我们会尽快为你发货' }),
  'group.failed': (data) => ({ goods: goods(data), amount: money(data.amount), status: '拼团失败', tip: '未成团，款项将原路退回' }),
  'group.placed': (data) => ({ goods: goods(data), amount: money(data.amount), status: '已转新团', tip: '原团已满，已为你加入另一个团' }),
  'group.late_refund': (data) => ({
    goods: goods(data),
    amount: money(data.amount),
    status: '已退款',
    tip: '付款时拼团已结束，款项将原路退回',
  }),
  'points.expiring': (data) => ({
    points: `${text(data.points, '0')} 积分`,
    expiresAt: new Date(text(data.expiresAt)),
    balance: `${text(data.balance, '0')} 积分`,
    tip: '积分即将过期，快去积分商城兑换吧',
  }),
  'review.invite': (data) => ({
    goods: goods(data),
    orderNo: text(data.orderNo, text(data.orderId)),
    status: '已完成',
    tip: '说说使用感受，评价得积分',
  }),
  // An operator's broadcast: its title and one line of content, as the operator wrote them.
  campaign: (data) => ({ title: text(data.title, '品牌活动'), content: text(data.content), tip: text(data.tip, '点击查看活动详情') }),
};

/** A subscription template as registered in 微信公众平台: keyword name → keyword type. */
export interface SubscribeTemplateDef {
  id: string;
  title?: string;
  keywords: Record<string, string>;
}

/** How a notice kind is sent: its template, the page the card opens, which field fills each keyword; optionally its 公众号 template. */
export interface NoticeMapping {
  template: string;
  /** The page the message opens; the notice's own `data.page` (an order, a group) wins. */
  page: string;
  keywords: Record<string, string>;
  /** Promotional kinds wait out the member's quiet hours; transactional ones never do. */
  promotional: boolean;
  mp?: { template: string; fields: Record<string, string> };
}

export interface NoticeTemplates {
  templates: SubscribeTemplateDef[];
  notices: Record<string, NoticeMapping>;
  /** Per moment the app asks (core/notice/grants.ts ASK_MOMENTS): the templates it offers, in order. */
  asks?: Record<string, string[]>;
}

export interface SubscribeMessage {
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
}

/** The subscription message for a notice: each keyword filled from the kind's fields and fitted to its type. */
export function buildSubscribeMessage(config: NoticeTemplates, kind: NoticeKind, data: Data): SubscribeMessage {
  const mapping = config.notices[kind];
  if (!mapping) throw new RangeError(`notice kind ${kind} has no template mapping`);
  const template = config.templates.find((t) => t.id === mapping.template);
  if (!template) throw new RangeError(`notice kind ${kind} names template ${mapping.template}, which is not registered`);
  const fields = NOTICE_FIELDS[kind](data);
  const filled: Record<string, { value: string }> = {};
  for (const [keyword, field] of Object.entries(mapping.keywords)) {
    const type = template.keywords[keyword];
    if (!type) throw new RangeError(`template ${template.id} has no keyword ${keyword}`);
    if (!(field in fields)) throw new RangeError(`notice kind ${kind} has no field ${field}`);
    filled[keyword] = { value: fitKeyword(type, fields[field]) };
  }
  return { templateId: template.id, page: typeof data.page === 'string' && data.page ? data.page : mapping.page, data: filled };
}

/** The 公众号 template message a notice falls back to, or null when its kind has none. A field starting with `=` is literal text. */
export function buildMpTemplateMessage(
  config: NoticeTemplates,
  kind: NoticeKind,
  data: Data,
): { templateId: string; page: string; data: Record<string, { value: string }> } | null {
  const mapping = config.notices[kind];
  if (!mapping?.mp) return null;
  const fields = NOTICE_FIELDS[kind](data);
  const filled: Record<string, { value: string }> = {};
  for (const [name, source] of Object.entries(mapping.mp.fields)) {
    const raw = source.startsWith('=') ? source.slice(1) : fields[source];
    if (raw === undefined) throw new RangeError(`notice kind ${kind} has no field ${source}`);
    // 公众号 template fields have no types: one short line each (a time on the Shanghai clock).
    filled[name] = { value: raw instanceof Date ? fitKeyword('time', raw) : fitKeyword('thing', raw) };
  }
  const page = typeof data.page === 'string' && data.page ? data.page : mapping.page;
  return { templateId: mapping.mp.template, page, data: filled };
}
