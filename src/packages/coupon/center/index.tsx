import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { ClaimableCoupons } from '../../../components/ClaimableCoupons';
import { StatusView } from '../../../components/StatusView';
import { SubscribePrompt } from '../../../components/SubscribePrompt';
import { COUPON_WALLET_PAGE } from '../../../routes';
import { openPage, pageParams } from '../../../services/navigation';
import { centerKey, EMPTY_CENTER, useCouponCenterStore } from '../../../stores/useCouponCenterStore';
import './index.css';

/** A campaign's coupons (query `campaign`), or without one the storefront's coupons claimable now. */
export default function CouponCenter() {
  const params = pageParams();
  const campaign = params.campaign || undefined;
  const center = useCouponCenterStore((state) => state.centers[centerKey(campaign)]) ?? EMPTY_CENTER;
  const load = useCouponCenterStore((state) => state.load);
  // A claim on this visit: the moment to offer a reminder before the coupon runs out.
  const [claimed, setClaimed] = useState(false);
  // A campaign's name is known only once loaded; the storefront's title is known at once. Without a
  // title (a campaign loading or not found) the header waits: a hint under no title reads as broken.
  const title = center.status === 'ready' ? (center.campaign?.name ?? '领券中心') : campaign ? null : '领券中心';

  // Every visit refreshes: stock and the member's claims change while the page is away.
  useDidShow(() => void load(campaign));
  useEffect(() => {
    if (title) void Taro.setNavigationBarTitle({ title });
  }, [title]);

  return (
    <View className="coupon-center" data-testid="coupon-center">
      {title ? (
        <View className="coupon-center__head">
          <View className="coupon-center__titles">
            <Text className="coupon-center__title" data-testid="coupon-center-title">
              {title}
            </Text>
            <Text className="coupon-center__hint">领取后可在「我的券包」查看和使用</Text>
          </View>
          <View className="coupon-center__wallet" data-testid="coupon-center-wallet" onClick={() => void openPage(COUPON_WALLET_PAGE)}>
            <Text>我的券包</Text>
            <Text className="coupon-center__chevron">›</Text>
          </View>
        </View>
      ) : null}
      <StatusView
        status={center.status}
        error={center.error}
        errorCode={center.failure?.code}
        onRetry={() => void load(campaign)}
        empty={center.templates.length === 0}
        emptyText={campaign ? '这个活动暂时没有可领的优惠券' : '暂时没有可领的优惠券，过几天再来看看'}
      >
        <View className="coupon-center__list">
          <ClaimableCoupons templates={center.templates} serverTime={center.serverTime} onClaimed={() => setClaimed(true)} />
        </View>
      </StatusView>
      {/* Docked, not above the cards: nothing moves under the finger that just claimed. */}
      <SubscribePrompt moment="claim" active={claimed} floating />
    </View>
  );
}
