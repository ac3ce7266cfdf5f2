import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad, useShareAppMessage } from '@tarojs/taro';
import { useMemo, useState } from 'react';
import type { ActivityView, GroupView } from '../../../../core/contracts/groupbuy';
import { formatSeatParams } from '../../../../core/groupbuy/seat-param';
import { ActionBar } from '../../../components/ActionBar';
// Pictures and prices before the avatars, as on every group-buy page: one stylesheet order for the package.
import { GroupCover } from '../../../components/GroupCover';
import { GroupPrice } from '../../../components/GroupPrice';
import { GroupSkuChoice } from '../../../components/GroupSkuChoice';
import { GroupAvatars } from '../../../components/GroupAvatars';
import { PayCountdown } from '../../../components/PayCountdown';
import { StatusView } from '../../../components/StatusView';
import { SubscribePrompt } from '../../../components/SubscribePrompt';
import { CHECKOUT_PAGE, GROUP_ACTIVITY_PAGE, GROUP_LIST_PAGE, ORDER_DETAIL_PAGE } from '../../../routes';
import { openPage, pageParams } from '../../../services/navigation';
import { h5Url, inviteShareCard } from '../../../stores/group-share';
import { type InviteOutcome, useGroupInviteStore } from '../../../stores/useGroupInviteStore';
import { useMemberStore } from '../../../stores/useMemberStore';
import { Button } from '../../../ui';
import { Popup } from '../../../ui/popup';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });
const report = (outcome: InviteOutcome) => {
  if (outcome.kind !== 'busy' && outcome.message) toast(outcome.message);
};

/**
 * The invite page (query `id`: the group; `confirming=1` right after a checkout whose pay callback
 * was late): what a friend sees first — the product at the group price, who is in, 还差 N 人成团
 * with the countdown, and one button in the state the server answered.
 */
export default function GroupInvite() {
  const params = pageParams();
  const id = params.id || undefined;
  const store = useGroupInviteStore();
  const member = useMemberStore((state) => state.member);
  useDidShow(() => {
    // Every visit reads the group again: friends join and pay while the page is away (in the chat).
    if (id) void store.load(id);
    // The share card and the copied link name the sharer: a silent login, if not done yet.
    if (!useMemberStore.getState().member) void useMemberStore.getState().login();
  });
  useLoad(() => {
    if (id && params.confirming === '1') void store.load(id).then(() => useGroupInviteStore.getState().watchPayment());
  });
  const group = store.groupId === id ? store.group : null;
  const activity = store.groupId === id ? store.activity : null;
  useShareAppMessage(() => {
    if (!group || !activity) return { title: '一起拼团更划算' };
    return inviteShareCard(group, activity, member?._id ?? null);
  });

  const browse = { label: '看看其他拼团', onClick: () => void openPage(GROUP_LIST_PAGE) };
  if (!id) return <StatusView status="ready" empty emptyText="没有找到这个团" emptyAction={browse} />;
  const status = store.groupId === id ? store.status : 'loading';
  return (
    <StatusView status={status} error={store.error} errorCode={store.failure?.code} onRetry={() => void store.load(id)}>
      {group && activity ? <InviteBody group={group} activity={activity} sharer={member?._id ?? null} /> : null}
    </StatusView>
  );
}

/** The headline over the members: how far the group is, in the reader's words. */
function headline(group: GroupView): { title: string; text: string | null; tone: 'live' | 'done' | 'off' } {
  switch (group.state) {
    case 'succeeded':
      return { title: '拼团成功', text: group.me.seat === 'paid' ? '商家将尽快为你发货' : '这个团已满员，去参加别的团吧', tone: 'done' };
    case 'failed':
      return {
        title: '拼团失败',
        text: group.me.seat === 'paid' ? '未在时限内成团，款项将原路退回' : '这个团未在时限内成团',
        tone: 'off',
      };
    case 'abandoned':
      return { title: '这个团已关闭', text: '团长未完成支付，去参加别的团吧', tone: 'off' };
    case 'pending':
      return { title: '等待团长支付', text: '团长支付后即可参团', tone: 'live' };
    default:
      return group.missing > 0
        ? { title: `还差 ${group.missing} 人成团`, text: null, tone: 'live' }
        : { title: '拼团成功', text: null, tone: 'done' };
  }
}

interface InviteBodyProps {
  group: GroupView;
  activity: ActivityView;
  sharer: string | null;
}

function InviteBody({ group, activity, sharer }: InviteBodyProps) {
  const { payPhase, confirming, offsetMs, deadlineLeftMs, payLeftMs, pay, load } = useGroupInviteStore();
  const [choosing, setChoosing] = useState(false);
  const [skuId, setSkuId] = useState<string | null>(() => {
    const inStock = activity.skus.filter((sku) => sku.stock > 0);
    return inStock.length === 1 ? inStock[0].skuId : null;
  });
  // Taken once per reading of the group: the countdowns then tick on their own.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-taken when the group or the clock offset is read again
  const deadlineLeft = useMemo(() => deadlineLeftMs(), [group.deadline, offsetMs, deadlineLeftMs]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-taken when the hold or the clock offset is read again
  const payLeft = useMemo(() => payLeftMs(), [group.me.payBy, offsetMs, payLeftMs]);
  const head = headline(group);
  const live = group.state === 'open' && group.missing > 0;
  const sku = activity.skus.find((s) => s.skuId === skuId) ?? null;
  // The member's own SKU is not in the view: the page shows the activity's lowest group price.
  const shownPrice = sku ?? { groupPrice: activity.groupPrice, price: activity.originalPrice };
  const { action, label } = group.me;

  const join = (chosen: string | null) => {
    if (!chosen) {
      setChoosing(true);
      return;
    }
    setChoosing(false);
    void openPage(CHECKOUT_PAGE, formatSeatParams({ kind: 'join', groupId: group.groupId, skuId: chosen }));
  };
  const onMain = () => {
    if (action === 'join') join(skuId);
    else if (action === 'pay') void pay().then(report);
    else if (action === 'full') void openPage(GROUP_ACTIVITY_PAGE, { id: activity.activityId });
  };
  const mainLabel =
    action === 'pay' && payPhase ? (payPhase === 'confirming' ? '支付确认中' : '支付中') : confirming ? '支付确认中' : label;
  const copyInvite = async () => {
    // H5 only (the mini-program shares a card instead): the build for WeChat drops this body.
    if (process.env.TARO_ENV !== 'h5') return;
    const path = inviteShareCard(group, activity, sharer).path;
    await Taro.setClipboardData({ data: h5Url(path, window.location) });
    toast('已复制');
  };

  return (
    <View className="group-invite" data-testid="group-invite">
      <View className="group-invite__product">
        <GroupCover imageUrl={activity.imageUrl} name={activity.productName} />
        <View className="group-invite__product-body">
          <Text className="group-invite__name" data-testid="group-invite-title">
            {activity.productName}
          </Text>
          <Text className="group-invite__size">{group.size}人团</Text>
          <GroupPrice groupPrice={shownPrice.groupPrice} originalPrice={shownPrice.price} />
        </View>
      </View>

      <View className="group-invite__card">
        <Text className={`group-invite__headline group-invite__headline--${head.tone}`} data-testid="group-state">
          {head.title}
        </Text>
        {live && deadlineLeft > 0 ? (
          <Text className="group-invite__countdown" data-testid="group-countdown">
            <PayCountdown remainingMs={deadlineLeft} onEnd={() => void load(group.groupId)} before="剩余 " after=" 结束" />
          </Text>
        ) : head.text ? (
          <Text className="group-invite__text">{head.text}</Text>
        ) : null}
        <View className="group-invite__members">
          <GroupAvatars members={group.seats} free={group.state === 'open' || group.state === 'pending' ? group.free : 0} size="large" />
        </View>
        <Text className="group-invite__rule" data-testid="group-rule">
          {activity.rule}
        </Text>
        {action === 'pay' && payLeft > 0 ? (
          <Text className="group-invite__hold" data-testid="group-hold">
            <PayCountdown remainingMs={payLeft} onEnd={() => void load(group.groupId)} before="座位已为你保留，请在 " after=" 内完成支付" />
          </Text>
        ) : null}
      </View>

      {/* A paid seat in a group still filling up: the moment to offer word of how the group ends. */}
      <SubscribePrompt moment="join" active={group.me.seat === 'paid' && group.state === 'open' && !confirming} />

      <View className="group-invite__links">
        {live && process.env.TARO_ENV === 'weapp' ? (
          <Button fill="outline" type="primary" openType="share" data-testid="group-share">
            再次分享
          </Button>
        ) : null}
        {live && process.env.TARO_ENV === 'h5' ? (
          <Button fill="outline" type="primary" onClick={() => void copyInvite()} data-testid="group-copy-invite">
            复制邀请链接
          </Button>
        ) : null}
        {group.me.orderId && group.me.seat === 'paid' ? (
          <Button
            fill="none"
            onClick={() => void openPage(ORDER_DETAIL_PAGE, { id: group.me.orderId as string })}
            data-testid="group-order"
          >
            查看订单
          </Button>
        ) : null}
        {action !== 'full' && !live ? (
          <Button fill="none" onClick={() => void openPage(GROUP_ACTIVITY_PAGE, { id: activity.activityId })} data-testid="group-more">
            看看其他团
          </Button>
        ) : null}
      </View>

      <Popup visible={choosing} position="bottom" round closeable title="选择规格" onClose={() => setChoosing(false)}>
        <View className="group-invite__sheet">
          <GroupSkuChoice skus={activity.skus} selected={skuId} onSelect={setSkuId} />
          <Button type="primary" block disabled={!skuId} onClick={() => join(skuId)} data-testid="group-sku-confirm">
            参团
          </Button>
        </View>
      </Popup>

      <ActionBar>
        <Button
          type="primary"
          block
          loading={action === 'pay' && Boolean(payPhase)}
          disabled={!(action === 'join' || action === 'pay' || action === 'full') || Boolean(payPhase) || confirming}
          onClick={onMain}
          data-testid="group-main"
        >
          {mainLabel}
        </Button>
      </ActionBar>
    </View>
  );
}
