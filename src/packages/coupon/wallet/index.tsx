import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { CouponView } from '../../../../core/contracts/coupon';
import { CouponCard } from '../../../components/CouponCard';
import { couponCardProps } from '../../../components/CouponCard/cards';
import { StatusView } from '../../../components/StatusView';
import { COUPON_CENTER_PAGE, COUPON_DETAIL_PAGE } from '../../../routes';
import { goHome, openPage } from '../../../services/navigation';
import { useMemberStore } from '../../../stores/useMemberStore';
import { useWalletStore, type WalletTab } from '../../../stores/useWalletStore';
import { Tabs } from '../../../ui/tabs';
import './index.css';

const TABS: Array<{ tab: WalletTab; title: string; empty: string }> = [
  { tab: 'usable', title: '可使用', empty: '还没有可用的优惠券，去领几张吧' },
  { tab: 'used', title: '已使用', empty: '还没有用过优惠券' },
  { tab: 'expired', title: '已过期', empty: '没有过期的优惠券' },
];

/** The member's coupons by state; usable ones first and in the server's order (soonest expiry first). */
export default function Wallet() {
  const { status, error, failure, serverTime, load, ...lists } = useWalletStore();
  const [tab, setTab] = useState<WalletTab>('usable');
  const refresh = async () => {
    // The new-member pack comes with the first login: a reader who opens the wallet first still finds it here.
    if (!useMemberStore.getState().member) await useMemberStore.getState().login();
    await load();
  };
  // Every visit refreshes: a coupon may have been claimed, used or expired since.
  useDidShow(() => void refresh());

  const openDetail = (coupon: CouponView) => void openPage(COUPON_DETAIL_PAGE, { id: coupon.couponId });
  // The storefront until product pages exist: where a coupon can be spent.
  const use = () => void goHome();
  const findMore = { label: '去领券', onClick: () => void openPage(COUPON_CENTER_PAGE) };

  return (
    <View className="wallet" data-testid="wallet">
      <StatusView status={status} error={error} errorCode={failure?.code} onRetry={() => void load()}>
        <Tabs value={tab} onChange={(value) => setTab(value as WalletTab)} activeType="line" align="left" duration={0}>
          {TABS.map(({ tab: name, title, empty }) => (
            <Tabs.TabPane key={name} value={name} title={`${title} ${lists[name].length}`}>
              <View className="wallet__pane" data-testid={`wallet-${name}`}>
                <StatusView status="ready" empty={lists[name].length === 0} emptyText={empty} emptyAction={findMore}>
                  {lists[name].map((coupon) => (
                    <CouponCard
                      key={coupon.couponId}
                      testId={`coupon-${name}`}
                      {...couponCardProps(coupon, { serverTime, onUse: use, onOpen: () => openDetail(coupon) })}
                    />
                  ))}
                  {name === 'usable' ? (
                    <View className="wallet__more" onClick={findMore.onClick} data-testid="wallet-more">
                      <Text>领取更多优惠券</Text>
                      <Text className="wallet__chevron">›</Text>
                    </View>
                  ) : null}
                </StatusView>
              </View>
            </Tabs.TabPane>
          ))}
        </Tabs>
      </StatusView>
    </View>
  );
}
