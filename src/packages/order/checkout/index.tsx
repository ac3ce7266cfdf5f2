import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import type { ActivityView, GroupView } from '../../../../core/contracts/groupbuy';
import { parseSeatParams } from '../../../../core/groupbuy/seat-param';
import { parseLinesParam } from '../../../../core/order/lines-param';
import { ActionBar } from '../../../components/ActionBar';
import { AddressForm, AddressSummary } from '../../../components/AddressForm';
import { CouponSheet } from '../../../components/CouponSheet';
import { OrderLines } from '../../../components/OrderLines';
import { StatusView } from '../../../components/StatusView';
import { GROUP_ACTIVITY_PAGE, GROUP_INVITE_PAGE, ORDER_DETAIL_PAGE, PRODUCT_LIST_PAGE } from '../../../routes';
import { openPage, pageParams, replaceWith } from '../../../services/navigation';
import { quoteBlocker, seatBlocker, type SubmitPhase, useCheckoutStore } from '../../../stores/useCheckoutStore';
import { Button, Price, yuanOf } from '../../../ui';
import { Popup } from '../../../ui/popup';
import './index.css';

const PHASE_LABELS: Record<SubmitPhase, string> = {
  idle: '提交订单并支付',
  creating: '正在提交',
  paying: '支付中',
  confirming: '支付确认中',
};

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });

/**
 * Checkout (query `lines`; or one group-buy seat: `activity` + `sku` to open a group, `group` + `sku`
 * to join one): address, lines, the best coupon preselected, the payable, and one button to order and pay.
 */
export default function Checkout() {
  const [lines] = useState(() => parseLinesParam(pageParams().lines));
  const [seat] = useState(() => (lines ? null : parseSeatParams(pageParams())));
  const store = useCheckoutStore();
  const [choosingCoupon, setChoosingCoupon] = useState(false);
  // Once per visit: coming back from the pay sheet must not quote again over the order in progress.
  useLoad(() => {
    if (lines) void store.start(lines);
    else if (seat) void store.startSeat(seat);
  });

  if (!lines && !seat) {
    return (
      <StatusView
        status="ready"
        empty
        emptyText="没有要结算的商品"
        emptyAction={{ label: '去逛逛', onClick: () => void openPage(PRODUCT_LIST_PAGE) }}
      />
    );
  }

  // The store is shared: until start() has run for these lines, an earlier checkout's quote must not show.
  const mine = lines ? store.lines === lines : store.seat === seat;
  const quote = mine ? store.quote : null;
  const { phase } = store;
  const activity = seat && mine ? store.activity : null;
  const seatProblem = seat && mine ? seatBlocker(store.activity, store.group) : null;
  const blocker = quote ? (quoteBlocker(quote) ?? seatProblem) : null;
  const problems = Object.fromEntries((quote?.problems ?? []).map((p) => [p.skuId, p.message]));
  // Coupons only where the activity allows them: otherwise the row says so and opens nothing.
  const couponsOff = Boolean(seat) && !activity?.couponsAllowed;
  const submitLabel = phase === 'idle' && seat ? (seat.kind === 'open' ? '开团并支付' : '参团并支付') : PHASE_LABELS[phase];
  const submit = async () => {
    const outcome = await useCheckoutStore.getState().submit();
    switch (outcome.kind) {
      case 'ordered':
        if (outcome.message) toast(outcome.message);
        // A seat's page is its group's: who is in, the countdown, and 去支付 while the seat is held.
        await replaceWith(outcome.groupId ? GROUP_INVITE_PAGE : ORDER_DETAIL_PAGE, {
          id: outcome.groupId ?? outcome.orderId,
          ...(outcome.payment === 'pending' ? { confirming: '1' } : {}),
        });
        return;
      case 'busy':
        return;
      default:
        toast(outcome.message);
    }
  };

  return (
    <StatusView
      status={mine ? store.status : 'loading'}
      error={store.error}
      errorCode={store.failure?.code}
      onRetry={() => void store.requote()}
    >
      {quote ? (
        <View className="checkout" data-testid="checkout">
          {activity ? <SeatCard activity={activity} group={store.group} skuId={seat?.skuId ?? ''} /> : null}
          <View className="checkout__card">
            {store.editingAddress ? (
              <AddressForm
                address={store.address}
                errors={store.addressErrors}
                onChange={store.setAddressField}
                onSave={() => void store.confirmAddress()}
              />
            ) : (
              <AddressSummary address={store.address} onEdit={store.editAddress} />
            )}
          </View>

          {blocker ? (
            <View className="checkout__problem" data-testid="checkout-problem">
              <Text>{blocker}</Text>
              {seatProblem && activity ? (
                // A group that cannot take the member is no dead end: the activity has others.
                <Text
                  className="checkout__problem-link"
                  onClick={() => void replaceWith(GROUP_ACTIVITY_PAGE, { id: activity.activityId })}
                  data-testid="checkout-other-groups"
                >
                  看看其他团 ›
                </Text>
              ) : null}
            </View>
          ) : null}

          <View className="checkout__card">
            <OrderLines lines={quote.lines} problems={problems} />
          </View>

          <View className="checkout__card checkout__amounts">
            <View className="checkout__row">
              <Text className="checkout__label">商品金额</Text>
              <Price price={yuanOf(quote.subtotal)} size="normal" color="darkgray" />
            </View>
            <View
              className={`checkout__row${couponsOff ? '' : ' checkout__row--tap'}`}
              onClick={() => {
                if (!couponsOff) setChoosingCoupon(true);
              }}
              data-testid="checkout-coupon"
            >
              <Text className="checkout__label">优惠券</Text>
              <View className="checkout__coupon">
                {couponsOff ? (
                  <Text className="checkout__muted">拼团商品不可用券</Text>
                ) : quote.coupon ? (
                  <>
                    {quote.coupon.couponId === quote.applicable[0]?.couponId ? <Text className="checkout__best">最优</Text> : null}
                    <View className="checkout__discount" data-testid="checkout-discount">
                      <Text>-</Text>
                      <Price price={yuanOf(quote.coupon.discount)} size="normal" />
                    </View>
                  </>
                ) : (
                  <Text className="checkout__muted">{quote.applicable.length > 0 ? `可用 ${quote.applicable.length} 张` : '暂无可用'}</Text>
                )}
                {couponsOff ? null : <Text className="checkout__chevron">›</Text>}
              </View>
            </View>
            {quote.coupon ? (
              <Text className="checkout__coupon-name" data-testid="checkout-coupon-name">
                {quote.coupon.name}
              </Text>
            ) : null}
            <View className="checkout__row checkout__row--total">
              <Text className="checkout__label">应付</Text>
              <Price price={yuanOf(quote.payable)} size="large" />
            </View>
          </View>

          <Popup visible={choosingCoupon} position="bottom" round closeable title="选择优惠券" onClose={() => setChoosingCoupon(false)}>
            <CouponSheet
              quote={quote}
              onChoose={(choice) => {
                setChoosingCoupon(false);
                void store.chooseCoupon(choice === 'none' ? 'none' : { couponId: choice });
              }}
            />
          </Popup>

          <ActionBar>
            <View className="checkout__bar">
              <View className="checkout__bar-total">
                <Text>应付</Text>
                <Price price={yuanOf(quote.payable)} size="large" />
              </View>
              <Button
                type="primary"
                className="checkout__submit"
                loading={phase !== 'idle'}
                disabled={Boolean(blocker) || store.quoting || phase !== 'idle'}
                onClick={() => void submit()}
                data-testid="checkout-submit"
              >
                {submitLabel}
              </Button>
            </View>
          </ActionBar>
        </View>
      ) : null}
    </StatusView>
  );
}

interface SeatCardProps {
  activity: ActivityView;
  group: GroupView | null;
  skuId: string;
}

/** Group mode: what the seat is — opening a group or joining whose — at the group price against the original. */
function SeatCard({ activity, group, skuId }: SeatCardProps) {
  const sku = activity.skus.find((s) => s.skuId === skuId);
  const leader = group?.seats.find((seat) => seat.leader)?.nickname;
  const title = group ? `参加${leader ?? '好友'}的团` : `开团 · ${activity.size}人团`;
  const detail = group && group.missing > 0 ? `还差 ${group.missing} 人成团` : group ? null : '支付后邀请好友参团';
  return (
    <View className="checkout__card checkout__seat" data-testid="checkout-seat">
      <View className="checkout__row">
        <Text className="checkout__seat-title">
          <Text className="checkout__seat-mark">拼团</Text>
          {title}
        </Text>
        {detail ? <Text className="checkout__seat-detail">{detail}</Text> : null}
      </View>
      {sku && sku.price > sku.groupPrice ? (
        <View className="checkout__row">
          <Text className="checkout__label">拼团价</Text>
          <View className="checkout__seat-price">
            <Price price={yuanOf(sku.price)} size="small" color="gray" line />
            <Price price={yuanOf(sku.groupPrice)} size="normal" />
          </View>
        </View>
      ) : null}
      <Text className="checkout__seat-rule">{activity.rule}</Text>
    </View>
  );
}
