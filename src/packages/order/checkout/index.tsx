import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { parseLinesParam } from '../../../../core/order/lines-param';
import { ActionBar } from '../../../components/ActionBar';
import { AddressForm, AddressSummary } from '../../../components/AddressForm';
import { CouponSheet } from '../../../components/CouponSheet';
import { OrderLines } from '../../../components/OrderLines';
import { StatusView } from '../../../components/StatusView';
import { ORDER_DETAIL_PAGE, PRODUCT_LIST_PAGE } from '../../../routes';
import { openPage, pageParams, replaceWith } from '../../../services/navigation';
import { quoteBlocker, type SubmitPhase, useCheckoutStore } from '../../../stores/useCheckoutStore';
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

/** Checkout (query `lines`): address, lines, the best coupon preselected, the payable, and one button to order and pay. */
export default function Checkout() {
  const [lines] = useState(() => parseLinesParam(pageParams().lines));
  const store = useCheckoutStore();
  const [choosingCoupon, setChoosingCoupon] = useState(false);
  // Once per visit: coming back from the pay sheet must not quote again over the order in progress.
  useLoad(() => {
    if (lines) void store.start(lines);
  });

  if (!lines) {
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
  const mine = store.lines === lines;
  const quote = mine ? store.quote : null;
  const { phase } = store;
  const blocker = quote ? quoteBlocker(quote) : null;
  const problems = Object.fromEntries((quote?.problems ?? []).map((p) => [p.skuId, p.message]));
  const submit = async () => {
    const outcome = await useCheckoutStore.getState().submit();
    switch (outcome.kind) {
      case 'ordered':
        if (outcome.message) toast(outcome.message);
        await replaceWith(ORDER_DETAIL_PAGE, { id: outcome.orderId, ...(outcome.payment === 'pending' ? { confirming: '1' } : {}) });
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
            <View className="checkout__row checkout__row--tap" onClick={() => setChoosingCoupon(true)} data-testid="checkout-coupon">
              <Text className="checkout__label">优惠券</Text>
              <View className="checkout__coupon">
                {quote.coupon ? (
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
                <Text className="checkout__chevron">›</Text>
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
                {PHASE_LABELS[phase]}
              </Button>
            </View>
          </ActionBar>
        </View>
      ) : null}
    </StatusView>
  );
}
