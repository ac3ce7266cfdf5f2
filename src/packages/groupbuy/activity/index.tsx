import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useShareAppMessage } from '@tarojs/taro';
import { formatSeatParams } from '../../../../core/groupbuy/seat-param';
import { ActionBar } from '../../../components/ActionBar';
import { GroupCover } from '../../../components/GroupCover';
import { GroupPrice } from '../../../components/GroupPrice';
import { GroupSkuChoice, skuLabel } from '../../../components/GroupSkuChoice';
import { OpenGroups } from '../../../components/OpenGroups';
import { StatusView } from '../../../components/StatusView';
import { CHECKOUT_PAGE, GROUP_INVITE_PAGE, GROUP_LIST_PAGE, PRODUCT_DETAIL_PAGE } from '../../../routes';
import { openPage, pageParams } from '../../../services/navigation';
import { activityShareCard } from '../../../stores/group-share';
import { openAction, useGroupActivityStore } from '../../../stores/useGroupActivityStore';
import { useMemberStore } from '../../../stores/useMemberStore';
import { Button, Price, yuanOf } from '../../../ui';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none' });

/** One group-buy (query `id`): the product at the group price, the SKU, open groups to join, 我要开团. */
export default function GroupActivity() {
  const id = pageParams().id || undefined;
  const store = useGroupActivityStore();
  const member = useMemberStore((state) => state.member);
  // Every visit reads the activity again: groups fill and stock runs out while the page is away.
  useDidShow(() => {
    if (id) void store.load(id);
    // The share card names the sharer: a silent login, once, if the member center has not done it.
    if (!useMemberStore.getState().member) void useMemberStore.getState().login();
  });
  const activity = store.activityId === id ? store.activity : null;
  useShareAppMessage(() => {
    if (!activity) return { title: '一起拼团更划算' };
    return activityShareCard(activity, member?._id ?? null);
  });

  const browse = { label: '看看其他拼团', onClick: () => void openPage(GROUP_LIST_PAGE) };
  if (!id) return <StatusView status="ready" empty emptyText="没有找到这个拼团活动" emptyAction={browse} />;
  const status = store.activityId === id ? store.status : 'loading';

  return (
    <StatusView status={status} error={store.error} errorCode={store.failure?.code} onRetry={() => void store.load(id)}>
      {activity ? <ActivityBody /> : null}
    </StatusView>
  );
}

function ActivityBody() {
  const { activity, groups, offsetMs, selected, select } = useGroupActivityStore();
  if (!activity) return null;
  const sku = activity.skus.find((s) => s.skuId === selected) ?? null;
  const action = openAction(activity);
  const open = () => {
    if (!sku) {
      toast('请先选择规格');
      return;
    }
    void openPage(CHECKOUT_PAGE, formatSeatParams({ kind: 'open', activityId: activity.activityId, skuId: sku.skuId }));
  };
  const notes = [
    activity.perMemberLimit > 0 ? `每人限参加${activity.perMemberLimit}次` : null,
    activity.leaderNewMembersOnly ? '仅限新用户开团，老用户可参加别人的团' : null,
    activity.couponsAllowed ? null : '拼团价不与优惠券同享',
  ].filter((note): note is string => note !== null);

  return (
    <View className="group-activity" data-testid="group-activity">
      <GroupCover imageUrl={activity.imageUrl} name={activity.productName} shape="wide" />
      <View className="group-activity__card">
        <View className="group-activity__price-row">
          <GroupPrice
            groupPrice={sku ? sku.groupPrice : activity.groupPrice}
            originalPrice={sku ? sku.price : activity.originalPrice}
            size="large"
          />
          <Text className="group-activity__size">{activity.size}人团</Text>
        </View>
        <Text className="group-activity__name" data-testid="group-activity-title">
          {activity.productName}
        </Text>
        <Text className="group-activity__rule" data-testid="group-rule">
          {activity.rule}
        </Text>
        {notes.length > 0 ? <Text className="group-activity__notes">{notes.join(' · ')}</Text> : null}
      </View>

      {activity.skus.length > 1 ? (
        <View className="group-activity__card">
          <Text className="group-activity__heading">{sku ? `已选 ${skuLabel(sku)}` : '选择规格'}</Text>
          <GroupSkuChoice skus={activity.skus} selected={selected} onSelect={select} />
        </View>
      ) : null}

      <View className="group-activity__card" data-testid="group-activity-groups">
        <Text className="group-activity__heading">{groups.length > 0 ? `${groups.length}个团正在拼，可直接参团` : '正在拼的团'}</Text>
        {groups.length > 0 ? (
          <OpenGroups groups={groups} offsetMs={offsetMs} onOpen={(group) => void openPage(GROUP_INVITE_PAGE, { id: group.groupId })} />
        ) : (
          <Text className="group-activity__empty">还没有人开团，开一个团邀请好友一起拼吧</Text>
        )}
      </View>

      <ActionBar>
        <View className="group-activity__bar">
          <View
            className="group-activity__solo"
            onClick={() => void openPage(PRODUCT_DETAIL_PAGE, { id: activity.productId })}
            data-testid="group-activity-solo"
          >
            <Price price={yuanOf(sku ? sku.price : activity.originalPrice)} size="small" color="darkgray" />
            <Text>单独购买</Text>
          </View>
          <Button type="primary" className="group-activity__open" disabled={!action.enabled} onClick={open} data-testid="group-open">
            {action.enabled ? `${action.label} ¥${((sku ? sku.groupPrice : activity.groupPrice) / 100).toFixed(2)}` : action.label}
          </Button>
        </View>
      </ActionBar>
    </View>
  );
}
