import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { PointsSummary } from '../../../../core/contracts/points';
import { ActionBar } from '../../../components/ActionBar';
import { CheckInCalendar } from '../../../components/CheckInCalendar';
import { LedgerList } from '../../../components/LedgerList';
import { MallGrid } from '../../../components/MallGrid';
import { StatusView } from '../../../components/StatusView';
import { SubscribePrompt } from '../../../components/SubscribePrompt';
import { MALL_ITEM_PAGE, MY_EXCHANGES_PAGE, POINTS_MALL_PAGE, PRODUCT_LIST_PAGE } from '../../../routes';
import { openPage } from '../../../services/navigation';
import { useMemberStore } from '../../../stores/useMemberStore';
import { usePointsCenterStore } from '../../../stores/usePointsCenterStore';
import { usePointsMallStore } from '../../../stores/usePointsMallStore';
import { Button } from '../../../ui';
import './index.css';

/** How many mall items the center shows before 查看全部: two rows of two. */
const CENTER_ITEMS = 4;

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });

/**
 * The points center: the balance, today's check-in with the week's calendar, points expiring soon,
 * how to earn, a few mall items and the history. 签到 in the 公众号 sends a card here.
 */
export default function PointsCenter() {
  const store = usePointsCenterStore();
  const loadMall = usePointsMallStore((state) => state.load);
  const refresh = async () => {
    // Points belong to a member: a reader who lands here first is logged in silently, as elsewhere.
    if (!useMemberStore.getState().member) await useMemberStore.getState().login();
    await Promise.all([store.load(), loadMall()]);
  };
  // Every visit refreshes: an exchange, an order or 签到 in the 公众号 changes the balance meanwhile.
  useDidShow(() => void refresh());

  return (
    <View className="points-center" data-testid="points-center">
      <StatusView status={store.status} error={store.error} errorCode={store.failure?.code} onRetry={() => void refresh()}>
        {store.summary ? <CenterBody summary={store.summary} /> : null}
      </StatusView>
    </View>
  );
}

function CenterBody({ summary }: { summary: PointsSummary }) {
  const { checkingIn, checkIn } = usePointsCenterStore();
  const loadMall = usePointsMallStore((state) => state.load);
  const { checkIn: today } = summary;
  // Checked in on this visit: the moment to offer a reminder before points run out.
  const [checkedIn, setCheckedIn] = useState(false);
  const onCheckIn = async () => {
    const outcome = await checkIn();
    if (outcome.kind !== 'busy') toast(outcome.message);
    if (outcome.kind === 'checked_in') {
      setCheckedIn(true);
      // The mall's balance and what it can afford changed with it: never show the balance from before.
      void loadMall();
    }
  };
  return (
    <>
      <View className="points-center__hero">
        <Text className="points-center__label">我的积分</Text>
        <Text className="points-center__balance" data-testid="points-balance">
          {summary.balance}
        </Text>
        {summary.expiring ? (
          <Text className="points-center__expiring" data-testid="points-expiring">
            {summary.expiring.text}
          </Text>
        ) : null}
        <View className="points-center__links">
          <View className="points-center__link" onClick={() => void openPage(POINTS_MALL_PAGE)} data-testid="points-to-mall">
            <Text>积分商城</Text>
            <Text className="points-center__chevron">›</Text>
          </View>
          <View className="points-center__link" onClick={() => void openPage(MY_EXCHANGES_PAGE)} data-testid="points-to-exchanges">
            <Text>我的兑换</Text>
            <Text className="points-center__chevron">›</Text>
          </View>
        </View>
      </View>

      <View className="points-center__card" data-testid="points-checkin">
        <View className="points-center__head">
          <Text className="points-center__title">每日签到</Text>
          {today.streak > 0 ? (
            <Text className="points-center__streak" data-testid="points-streak">
              已连续签到 <Text className="points-center__streak-days">{today.streak}</Text> 天
            </Text>
          ) : null}
        </View>
        <CheckInCalendar days={today.calendar} />
        <Text className="points-center__rule" data-testid="points-checkin-rule">
          {today.rule}
        </Text>
      </View>

      <SubscribePrompt moment="checkIn" active={checkedIn} className="points-center__subscribe" />

      {summary.rules.length > 0 ? (
        <View className="points-center__card" data-testid="points-rules">
          <Text className="points-center__title">如何赚积分</Text>
          {summary.rules.map((rule) => (
            <View key={rule} className="points-center__earn">
              <View className="points-center__dot" />
              <Text>{rule}</Text>
            </View>
          ))}
        </View>
      ) : null}

      <MallSection />

      <HistorySection serverTime={summary.serverTime} />

      <ActionBar>
        <Button
          type="primary"
          block
          loading={checkingIn}
          disabled={today.done || checkingIn}
          onClick={() => void onCheckIn()}
          data-testid="points-checkin-button"
        >
          {today.done ? '今日已签到' : checkingIn ? '签到中' : '立即签到'}
        </Button>
      </ActionBar>
    </>
  );
}

/** A few mall items, when the mall has any: the way from points to something to spend them on. */
function MallSection() {
  const items = usePointsMallStore((state) => state.items);
  if (items.length === 0) return null;
  return (
    <View className="points-center__section" data-testid="points-mall-preview">
      <View className="points-center__section-head">
        <Text className="points-center__title">积分兑好礼</Text>
        <View className="points-center__more" onClick={() => void openPage(POINTS_MALL_PAGE)}>
          <Text>查看全部</Text>
          <Text className="points-center__chevron">›</Text>
        </View>
      </View>
      <MallGrid items={items.slice(0, CENTER_ITEMS)} onOpen={(item) => void openPage(MALL_ITEM_PAGE, { id: item.itemId })} />
    </View>
  );
}

function HistorySection({ serverTime }: { serverTime: string }) {
  const { entries, nextCursor, ledgerStatus, ledgerError, ledgerFailure, loadingMore, moreError, loadMore, load } = usePointsCenterStore();
  return (
    <View className="points-center__card" data-testid="points-history">
      <Text className="points-center__title">积分明细</Text>
      <StatusView
        status={ledgerStatus}
        error={ledgerError}
        errorCode={ledgerFailure?.code}
        onRetry={() => void load()}
        empty={entries.length === 0}
        emptyText="还没有积分记录，签到、购物都能得积分"
        emptyAction={{ label: '去逛逛', onClick: () => void openPage(PRODUCT_LIST_PAGE) }}
      >
        <LedgerList entries={entries} serverTime={serverTime} />
        {nextCursor ? (
          <View className="points-center__more-row">
            {moreError ? <Text className="points-center__more-error">{moreError}</Text> : null}
            <Button
              fill="none"
              loading={loadingMore}
              disabled={loadingMore}
              onClick={() => void loadMore()}
              data-testid="points-history-more"
            >
              {loadingMore ? '加载中' : moreError ? '重新加载' : '加载更多'}
            </Button>
          </View>
        ) : entries.length > 0 ? (
          <Text className="points-center__end">没有更多了</Text>
        ) : null}
      </StatusView>
    </View>
  );
}
