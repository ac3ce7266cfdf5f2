import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { CouponView } from '../../../../core/contracts/coupon';
import { describeScope, describeTerms, shanghaiDate } from '../../../../core/coupon/labels';
import { ActionBar } from '../../../components/ActionBar';
import { CouponCard, termsOf } from '../../../components/CouponCard';
import { couponCardProps } from '../../../components/CouponCard/cards';
import { StatusView } from '../../../components/StatusView';
import { goHome, pageParams } from '../../../services/navigation';
import { useCouponDetailStore } from '../../../stores/useCouponDetailStore';
import { Button } from '../../../ui';
import './index.css';

const SOURCE_LABELS: Record<CouponView['source'], string> = {
  claim: '领取',
  pack: '新人礼包',
  grant: '平台发放',
  exchange: '积分兑换',
  help: '好友助力',
  lottery: '积分抽奖',
};

/** One coupon of the member (query `id`) and its rules in plain lines. */
export default function CouponDetail() {
  const params = pageParams();
  const id = params.id || undefined;
  const store = useCouponDetailStore();
  // Back from the storefront, the coupon may have been used: read it again.
  useDidShow(() => {
    if (id) void store.load(id);
  });

  if (!id) return <StatusView status="ready" empty emptyText="没有找到这张优惠券" />;
  // Another coupon's answer (the store is shared) is never shown under this page.
  const coupon = store.couponId === id ? store.coupon : null;
  const status = store.couponId === id ? store.status : 'loading';
  const now = store.serverTime ? new Date(store.serverTime) : undefined;
  const date = (at: string) => shanghaiDate(at, now);

  return (
    <StatusView status={status} error={store.error} errorCode={store.failure?.code} onRetry={() => void store.load(id)}>
      {coupon ? (
        <View className="coupon-detail" data-testid="coupon-detail">
          <View className="coupon-detail__card">
            <CouponCard testId="coupon-detail-card" {...couponCardProps(coupon, { serverTime: store.serverTime })} />
          </View>
          <View className="coupon-detail__rules">
            <Text className="coupon-detail__heading">使用说明</Text>
            <Rule label="优惠" value={describeTerms(termsOf(coupon.terms)).summary} />
            <Rule label="适用范围" value={describeScope(coupon.scope)} />
            <Rule label="有效期" value={`${date(coupon.validFrom)} - ${date(coupon.validUntil)}`} />
            {coupon.state === 'used' && coupon.usedAt ? <Rule label="使用时间" value={date(coupon.usedAt)} /> : null}
            <Rule label="获得方式" value={`${SOURCE_LABELS[coupon.source]} · ${date(coupon.claimedAt)}`} />
            {store.campaign ? <Rule label="所属活动" value={store.campaign.name} /> : null}
            {coupon.source === 'claim' && store.perMemberLimit ? (
              <Rule label="领取限制" value={`每人限领 ${store.perMemberLimit} 张`} />
            ) : null}
            <Text className="coupon-detail__fine">每笔订单限用一张优惠券，优惠金额不可提现、不设找零。</Text>
          </View>
          {coupon.state === 'usable' ? (
            <ActionBar>
              <Button type="primary" block onClick={() => void goHome()} data-testid="coupon-use">
                去使用
              </Button>
            </ActionBar>
          ) : null}
        </View>
      ) : null}
    </StatusView>
  );
}

function Rule({ label, value }: { label: string; value: string }) {
  return (
    <View className="coupon-detail__rule">
      <Text className="coupon-detail__label">{label}</Text>
      <Text className="coupon-detail__value">{value}</Text>
    </View>
  );
}
