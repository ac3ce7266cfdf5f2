import { DEMO_BARGAINS } from '../../core/fission/demo-bargain';
import { DEMO_HELP_CAMPAIGNS } from '../../core/fission/demo-help';
import { unionidKey } from '../../core/member/member';
import demoLottery from '../../examples/lottery.json';
import demoMenu from '../../examples/menu.json';
import { createCloudClient, type PersonaInput } from '../../emulator/src/client';

/**
 * Demo data for `npm run dev`: the personas the persona switcher offers, then the `admin`
 * function's `seed` job (brand articles, campaigns, article codes, keyword replies, the shop and its
 * group-buys) and its `syncFollowers` job, run as the cloud console would run them. The sync is what
 * makes the demo agree with the personas: alice follows the 公众号 in the local cloud without ever
 * having pushed a follow, exactly like a brand's existing followers, so only the sync makes her a
 * member that follows. Last, the demo group (`openDemoGroup`), alice's demo points (`giveDemoPoints`), the demo lottery and the 公众号 menu.
 */
export const DEMO_PERSONAS: PersonaInput[] = [
  { name: 'alice', nickname: '爱丽丝', unionid: 'u-alice', follows: true },
  { name: 'bob', nickname: '小波', unionid: 'u-bob', follows: false },
  { name: 'carol', nickname: '卡罗尔', follows: false },
];

/** The sync re-invoked while it reports `remaining` (each run stops after 40 s); never forever. */
const MAX_SYNC_RUNS = 1000;

type Envelope =
  | { ok?: boolean; code?: string; reason?: string; detail?: string; message?: string; data?: Record<string, unknown> }
  | undefined;

/**
 * An open group on a fresh local cloud, so the storefront's 拼团 shows one to join (还差 1 人): bob
 * opens the seeded 樱花杯两人团 through `groupbuy.open` and his payment is settled through the local
 * cloud's payments control plane, as WeChat Pay would. The fixed requestId makes a later start answer
 * the same seat (nothing new is written); once that group has ended at its deadline, none is opened again.
 */
export const DEMO_GROUP = {
  persona: 'bob',
  activityId: 'gb-spring-mug',
  skuId: 'sku-spring-mug-pink',
  requestId: 'demo-group-bob-0001',
  address: { name: '小波', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' },
};

/** `cloudUrl`: the local cloud's base URL (what `startEmulator` returns, or DUET_EMULATOR_URL). */
export async function seedDemo(cloudUrl: string): Promise<string> {
  const client = createCloudClient(cloudUrl);
  await client.personas.upsert(DEMO_PERSONAS);
  const admin = async (event: Record<string, unknown>) => {
    const answer = await client.invoke('admin', { event, source: 'wx_cloudconsole' });
    if ('error' in answer)
      throw new Error(`the admin ${event.action} job failed on the platform: ${answer.error.errCode} ${answer.error.errMsg}`);
    const envelope = answer.result as Envelope;
    if (!envelope?.ok) throw new Error(`the admin ${event.action} job failed: ${envelope?.code}: ${envelope?.detail ?? envelope?.message}`);
    return envelope.data ?? {};
  };
  const seeded = await admin({ action: 'seed' });
  // The 助力 campaign is the helpAdmin function's (its code would not fit in admin's bundle), on a template of the seed.
  const helpCampaigns = await seedHelpCampaigns(client);
  const bargains = await seedBargains(client);
  const counts = Object.entries(seeded)
    .filter(([, value]) => typeof value === 'number')
    .map(([key, value]) => `${value} ${key}`)
    .join(', ');
  // Started again on every dev start: the personas' follow flags are set above without a push, so
  // the last sync may no longer agree with them (a re-walk of known followers writes nothing).
  let synced = await admin({ action: 'syncFollowers', restart: true });
  for (let runs = 1; Number(synced.remaining) > 0; runs += 1) {
    if (runs >= MAX_SYNC_RUNS) throw new Error('the follower sync is not finishing; run npm run admin -- syncFollowers');
    synced = await admin({ action: 'syncFollowers', restart: true });
  }
  const personas = `${DEMO_PERSONAS.length} personas (${DEMO_PERSONAS.map((p) => p.name).join(', ')})`;
  const group = await openDemoGroup(client);
  const points = await giveDemoPoints(client);
  const lottery = await makeDemoLottery(client);
  // The 公众号's menu, with its 积分抽奖 button: points earned in the mini-program are spent from the 公众号.
  const menu = await admin({ action: 'setMpMenu', ...demoMenu });
  const buttons = (menu.buttons as Array<{ sub_button?: unknown[] }>).reduce((n, b) => n + 1 + (b.sub_button?.length ?? 0), 0);
  const grants = await giveDemoGrants(client);
  const reviews = await seedDemoReviews(client);
  return `${personas}; seed: ${counts || 'done'}; ${helpCampaigns}; ${bargains}; followers: ${synced.done} synced (${synced.created} new members); ${reviews}; ${group}; ${points}; ${lottery}; menu: ${buttons} buttons; ${grants}`;
}

/** Points for alice to spend in the demo mall: a console grant with a fixed requestId, so a later start grants nothing. */
export const DEMO_POINTS = { persona: 'alice', unionid: 'u-alice', points: 1200, requestId: 'demo-points-alice-0001' };

async function giveDemoPoints(client: ReturnType<typeof createCloudClient>): Promise<string> {
  const { persona, unionid, points, requestId } = DEMO_POINTS;
  // The member the follower sync made for alice, read from the database rather than by a login: a login would warm
  // the member function with settings (the new-member pack) that a caller of the seed may change right after it.
  const identities = (await client.db.exportCollection('identities')).split('\n').filter(Boolean);
  const identity = identities
    .map((line) => JSON.parse(line) as { _id: string; memberId: string })
    .find((doc) => doc._id === unionidKey(unionid));
  if (!identity) throw new Error(`no member has the unionid ${unionid} of ${persona}: the follower sync did not make one`);
  const memberId = identity.memberId;
  const answer = await client.invoke('pointsAdmin', {
    event: { action: 'adjustPoints', memberId, delta: points, reason: '演示积分', requestId },
    source: 'wx_cloudconsole',
  });
  const granted = 'error' in answer ? undefined : (answer.result as Envelope);
  if (!granted?.ok) throw new Error(`pointsAdmin.adjustPoints failed: ${JSON.stringify(answer).slice(0, 300)}`);
  return `${persona} has ${granted.data?.balance} points`;
}

/**
 * The demo lottery (examples/lottery.json: the seed's 全场通用券 template and 樱花杯 SKU, points and thanks), made through
 * `lotteryAdmin.createLottery` as the console would: the same table again answers it and changes nothing.
 */
async function makeDemoLottery(client: ReturnType<typeof createCloudClient>): Promise<string> {
  const answer = await client.invoke('lotteryAdmin', { event: { action: 'createLottery', ...demoLottery }, source: 'wx_cloudconsole' });
  const made = 'error' in answer ? undefined : (answer.result as Envelope);
  if (!made?.ok) throw new Error(`lotteryAdmin.createLottery failed: ${JSON.stringify(answer).slice(0, 300)}`);
  return `lottery ${demoLottery.id} (${demoLottery.lottery.prizes.length} prizes, ${demoLottery.lottery.price} points a draw)`;
}

/**
 * alice accepted reminders once, as the subscription sheet would record it: her shipping and coupon messages then arrive
 * as subscription messages (and after that by the 公众号, which she follows). The ledger counts the sheet once
 * (fixed requestId); the local cloud's own grants are topped up to the ledger, so a later start adds nothing.
 */
export const DEMO_GRANTS = {
  persona: 'alice',
  openid: 'o-mini-alice',
  templates: ['TPL_ORDER_SHIPPED', 'TPL_COUPON_EXPIRING'],
  requestId: 'demo-grants-alice-0001',
};

async function giveDemoGrants(client: ReturnType<typeof createCloudClient>): Promise<string> {
  const { persona, openid, templates, requestId } = DEMO_GRANTS;
  const answers = Object.fromEntries(templates.map((id) => [id, 'accept']));
  const answer = await client.invoke('notice', { event: { action: 'recordGrants', requestId, answers }, persona });
  const recorded = 'error' in answer ? undefined : (answer.result as Envelope);
  if (!recorded?.ok) throw new Error(`notice.recordGrants failed: ${JSON.stringify(answer).slice(0, 300)}`);
  const ledger = recorded.data?.grants as Array<{ templateId: string; remaining: number }>;
  const wechat = ((await client.grants.list(openid)) as { grants: Record<string, number> }).grants;
  for (const { templateId, remaining } of ledger) {
    for (let held = wechat[templateId] ?? 0; held < remaining; held += 1) {
      await client.grants.add({ openid, templateIds: [templateId], result: 'accept' });
    }
  }
  return `${persona} accepted reminders (${ledger.map((g) => `${g.templateId} ×${g.remaining}`).join(', ')})`;
}

/** `DEMO_GROUP` opened and paid (or answered again): what became of it, in one line. */
async function openDemoGroup(client: ReturnType<typeof createCloudClient>): Promise<string> {
  const { persona, activityId, skuId, requestId, address } = DEMO_GROUP;
  const groupbuy = async (event: Record<string, unknown>) => {
    const answer = await client.invoke('groupbuy', { event, persona });
    if ('error' in answer)
      throw new Error(`groupbuy.${event.action} failed on the platform: ${answer.error.errCode} ${answer.error.errMsg}`);
    return answer.result as Envelope;
  };
  const opened = await groupbuy({ action: 'open', activityId, skuId, requestId, address });
  // An operator may have paused the activity or sold it out: the demo goes on without a group.
  if (!opened?.ok) return `no demo group (${opened?.reason ?? opened?.code}: ${opened?.message ?? opened?.detail})`;
  const { order, group } = opened.data as { order: { orderId: string; state: string }; group: { groupId: string } };
  if (order.state === 'created') {
    const settled = await client.payments.settle(order.orderId);
    if (!settled.deliveries[0]?.acked) throw new Error(`the demo group's payment callback was not acknowledged (order ${order.orderId})`);
  }
  const shown = await groupbuy({ action: 'group', groupId: group.groupId });
  const view = shown?.data?.group as { state: string; missing: number } | undefined;
  if (!view) throw new Error(`groupbuy.group ${group.groupId} failed: ${shown?.code}: ${shown?.detail ?? shown?.message}`);
  return `demo group ${group.groupId} (${persona}, ${activityId}): ${view.state}${view.state === 'open' ? `, 还差 ${view.missing} 人` : ''}`;
}

/** The demo bargains (createBargain answers an existing id as it is: a later start keeps the tasks and stock). */
async function seedBargains(client: ReturnType<typeof createCloudClient>): Promise<string> {
  for (const entry of DEMO_BARGAINS) {
    const answer = await client.invoke('bargainAdmin', { event: { action: 'createBargain', ...entry }, source: 'wx_cloudconsole' });
    const envelope = ('error' in answer ? undefined : answer.result) as Envelope;
    if (!envelope?.ok) throw new Error(`the createBargain job failed for ${entry.id}: ${JSON.stringify(envelope ?? answer)}`);
  }
  return `${DEMO_BARGAINS.length} bargains`;
}

/** The demo 助力 campaigns (insert-once: a later start answers them as they are). */
async function seedHelpCampaigns(client: ReturnType<typeof createCloudClient>): Promise<string> {
  for (const entry of DEMO_HELP_CAMPAIGNS) {
    const answer = await client.invoke('helpAdmin', { event: { action: 'createHelpCampaign', ...entry }, source: 'wx_cloudconsole' });
    const envelope = ('error' in answer ? undefined : answer.result) as Envelope;
    if (!envelope?.ok) throw new Error(`the createHelpCampaign job failed for ${entry.id}: ${JSON.stringify(envelope ?? answer)}`);
  }
  return `${DEMO_HELP_CAMPAIGNS.length} help campaigns`;
}

/** The demo reviews on the demo shop (reviewAdmin's `seedReviews`, after the products exist): each once, with its product's stats. */
async function seedDemoReviews(client: ReturnType<typeof createCloudClient>): Promise<string> {
  const answer = await client.invoke('reviewAdmin', { event: { action: 'seedReviews' }, source: 'wx_cloudconsole' });
  const envelope = ('result' in answer ? answer.result : undefined) as Envelope | undefined;
  if (!envelope?.ok) throw new Error(`reviewAdmin.seedReviews failed: ${JSON.stringify(answer).slice(0, 300)}`);
  return `${(envelope.data as { reviews: number }).reviews} demo reviews`;
}
