import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad } from '@tarojs/taro';
import { useMemo, useState } from 'react';
import type { OrderView } from '../../../../core/contracts/order';
import { shanghaiDate, shanghaiDateTime } from '../../../../core/coupon/labels';
import { ORDER_STATE_LABELS, REFUND_STATE_LABELS } from '../../../../core/order/labels';
import { GROUP_INVITE_PAGE } from '../../../../core/pages';
import { ActionBar } from '../../../components/ActionBar';
import { maskPhone } from '../../../components/AddressForm';
import { OrderLines } from '../../../components/OrderLines';
import { PayCountdown } from '../../../components/PayCountdown';
import { RefundSheet } from '../../../components/RefundSheet';
import { StatusView } from '../../../components/StatusView';
import { SubscribePrompt } from '../../../components/SubscribePrompt';
import { ORDER_LIST_PAGE, PRODUCT_LIST_PAGE, REVIEW_WRITE_PAGE } from '../../../routes';
import { openPage, pageParams } from '../../../services/navigation';
import { type ActionOutcome, useOrderDetailStore } from '../../../stores/useOrderDetailStore';
import { Button, Price, yuanOf } from '../../../ui';
import { Popup } from '../../../ui/popup';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });
const report = (outcome: ActionOutcome) => {
  if (outcome.kind !== 'busy' && outcome.message) toast(outcome.message);
};

/** One order (query `id`; `confirming=1` right after a payment whose callback was late). */
export default function OrderDetail() {
  const params = pageParams();
  const id = params.id || undefined;
  const store = useOrderDetailStore();
  useDidShow(() => {
    if (id) void store.load(id);
  });
  useLoad(() => {
    // Checkout paid but the server had not heard yet: keep asking a few seconds more, saying so.
    if (id && params.confirming === '1') void store.load(id).then(() => useOrderDetailStore.getState().watchPayment());
  });

  const browse = { label: '去逛逛', onClick: () => void openPage(PRODUCT_LIST_PAGE) };
  if (!id) return <StatusView status="ready" empty emptyText="没有找到这个订单" emptyAction={browse} />;
  const order = store.orderId === id ? store.order : null;
  const status = store.orderId === id ? store.status : 'loading';

  return (
    <StatusView status={status} error={store.error} errorCode={store.failure?.code} onRetry={() => void store.load(id)}>
      {order ? <OrderBody order={order} /> : null}
    </StatusView>
  );
}

function OrderBody({ order }: { order: OrderView }) {
  const {
    acting,
    payPhase,
    confirming,
    timedOut,
    offsetMs,
    serverTime,
    payRemainingMs,
    markTimedOut,
    pay,
    cancel,
    requestRefund,
    confirmReceipt,
  } = useOrderDetailStore();
  const [refunding, setRefunding] = useState(false);
  // Taken once per reading of the order: the countdown then ticks on its own.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-taken when the order or the clock offset is read again
  const left = useMemo(() => payRemainingMs(), [order.payBy, offsetMs, payRemainingMs]);
  const now = serverTime ? new Date(serverTime) : undefined;
  const awaitingPay = order.state === 'created' && !confirming;
  const canPay = order.can.pay && !timedOut && left > 0;
  const count = order.lines.reduce((sum, line) => sum + line.quantity, 0);

  const onCancel = async () => {
    const { confirm } = await Taro.showModal({
      title: '取消订单',
      content: '确定取消这个订单吗？',
      confirmText: '取消订单',
      cancelText: '再想想',
      // The brand's colour on the confirming button, not WeChat's default green.
      confirmColor: '#e4393c',
    });
    if (confirm) report(await cancel());
  };
  const onConfirmReceipt = async () => {
    const { confirm } = await Taro.showModal({
      title: '确认收货',
      content: '请确认已收到商品，确认后订单完成',
      confirmText: '确认收货',
      cancelText: '再想想',
      // The brand's colour on the confirming button, not WeChat's default green.
      confirmColor: '#e4393c',
    });
    if (confirm) report(await confirmReceipt());
  };
  const onRefund = async (reason: string) => {
    const outcome = await requestRefund(reason);
    if (outcome.kind === 'done') setRefunding(false);
    report(outcome);
  };

  const banner = (() => {
    if (confirming) return { title: '支付确认中', text: '微信支付已完成，正在确认订单，请稍候' };
    if (order.state === 'created') {
      if (!canPay) return { title: '订单已超时', text: '未在规定时间内支付，订单将自动取消' };
      return { title: '待付款', text: null };
    }
    const titles: Partial<Record<OrderView['state'], string>> = {
      paid: '商家正在备货，请耐心等待',
      shipped: order.autoCompleteAt ? `商品已发出，${shanghaiDate(order.autoCompleteAt, now)}将自动确认收货` : '商品已发出，请注意查收',
      completed: '订单已完成，感谢你的购买',
      cancelled: order.couponId ? '订单已取消，使用的优惠券已退回' : '订单已取消',
      refunding: '退款申请已提交，款项将原路退回',
      refunded: `¥${(order.refunded / 100).toFixed(2)} 已原路退回`,
    };
    // A paid group-buy order waits for its group: it ships once the group succeeds, a failed one refunds itself.
    const groupTexts: Partial<Record<NonNullable<OrderView['group']>['state'], string>> = {
      waiting: '拼团中，成团后发货；未成团将自动退款',
      failed: '拼团未成功，款项将原路退回',
      late_refunded: '支付时座位已失效，款项将原路退回',
    };
    const groupText = order.group && order.state !== 'cancelled' ? groupTexts[order.group.state] : undefined;
    return { title: ORDER_STATE_LABELS[order.state], text: groupText ?? titles[order.state] ?? null };
  })();

  const payLabel = payPhase === 'confirming' ? '支付确认中' : payPhase === 'paying' ? '支付中' : '去支付';
  const secondary = [
    order.can.cancel ? { key: 'cancel', label: '取消订单', onClick: () => void onCancel(), loading: acting === 'cancel' } : null,
    order.can.requestRefund ? { key: 'refund', label: '申请退款', onClick: () => setRefunding(true), loading: acting === 'refund' } : null,
    order.group
      ? { key: 'group', label: '查看拼团', onClick: () => void openPage(GROUP_INVITE_PAGE, { id: order.group!.groupId }), loading: false }
      : null,
  ].filter((action): action is NonNullable<typeof action> => action !== null);
  const primary =
    awaitingPay && canPay
      ? { key: 'pay', label: payLabel, onClick: () => void pay().then(report), loading: acting === 'pay' }
      : order.can.confirmReceipt
        ? { key: 'confirm', label: '确认收货', onClick: () => void onConfirmReceipt(), loading: acting === 'confirm' }
        : order.state === 'completed'
          ? { key: 'review', label: '评价', onClick: () => void openPage(REVIEW_WRITE_PAGE, { orderId: order.orderId }), loading: false }
          : null;

  return (
    <View className="order-detail" data-testid="order-detail">
      <View className={`order-detail__banner order-detail__banner--${confirming ? 'confirming' : order.state}`} data-testid="order-banner">
        <Text className="order-detail__state" data-testid="order-state">
          {banner.title}
        </Text>
        {awaitingPay && canPay ? (
          <Text className="order-detail__hint">
            <PayCountdown remainingMs={left} onEnd={markTimedOut} after="后订单自动取消" />
          </Text>
        ) : banner.text ? (
          <Text className="order-detail__hint">{banner.text}</Text>
        ) : null}
      </View>

      {/* Paid and waiting to ship: the moment to offer word of the shipment (and of a refund). */}
      <SubscribePrompt moment="order" active={order.state === 'paid' && !confirming} />

      <View className="order-detail__card">
        <View className="order-detail__address">
          <View className="order-detail__who">
            <Text className="order-detail__name">{order.address.name}</Text>
            <Text className="order-detail__phone">{maskPhone(order.address.phone)}</Text>
          </View>
          <Text className="order-detail__where">
            {order.address.region} {order.address.detail}
          </Text>
        </View>
      </View>

      {order.shipment ? (
        <View className="order-detail__card" data-testid="order-shipment">
          <Text className="order-detail__heading">物流信息</Text>
          <Row label="快递公司" value={order.shipment.carrier} />
          <Row label="运单号" value={order.shipment.trackingNo} />
          <Row label="发货时间" value={shanghaiDateTime(order.shipment.shippedAt)} />
        </View>
      ) : null}

      <View className="order-detail__card">
        <OrderLines lines={order.lines} />
        <View className="order-detail__amounts">
          <MoneyRow label="商品金额" fen={order.subtotal} />
          {order.discount > 0 ? <MoneyRow label="优惠券" fen={order.discount} minus /> : null}
          {/* A points-mall exchange's order: the points paid besides the money, in the member's words. */}
          {order.points ? <Row label="积分支付" value={`${order.points} 积分`} testId="order-points" /> : null}
          <View className="order-detail__row order-detail__row--total">
            <Text className="order-detail__label">{order.paidAt ? `共 ${count} 件，实付` : `共 ${count} 件，应付`}</Text>
            <Price price={yuanOf(order.payable)} size="large" />
          </View>
          {order.refunded > 0 ? <MoneyRow label="已退款" fen={order.refunded} /> : null}
        </View>
      </View>

      {order.refunds.length > 0 ? (
        <View className="order-detail__card" data-testid="order-refunds">
          <Text className="order-detail__heading">退款记录</Text>
          {order.refunds.map((refund) => (
            <View key={refund.refundId} className="order-detail__refund" data-testid="order-refund">
              <View className="order-detail__row">
                <Price price={yuanOf(refund.amount)} size="normal" color="darkgray" />
                <Text className={`order-detail__refund-state order-detail__refund-state--${refund.state}`} data-testid="refund-state">
                  {REFUND_STATE_LABELS[refund.state]}
                </Text>
              </View>
              <Row label="退款原因" value={refund.reason} />
              <Row label="申请时间" value={shanghaiDateTime(refund.createdAt)} />
              {refund.succeededAt ? <Row label="到账时间" value={shanghaiDateTime(refund.succeededAt)} /> : null}
            </View>
          ))}
        </View>
      ) : null}

      <View className="order-detail__card">
        <View className="order-detail__row">
          <Text className="order-detail__label">订单编号</Text>
          <Text className="order-detail__value order-detail__value--grow" data-testid="order-no">
            {order.orderNo}
          </Text>
          <Text className="order-detail__copy" onClick={() => void Taro.setClipboardData({ data: order.orderNo })}>
            复制
          </Text>
        </View>
        <Row label="下单时间" value={shanghaiDateTime(order.createdAt)} />
        {order.paidAt ? <Row label="支付时间" value={shanghaiDateTime(order.paidAt)} /> : null}
        {order.completedAt ? <Row label="完成时间" value={shanghaiDateTime(order.completedAt)} /> : null}
        {order.cancelledAt ? <Row label="取消时间" value={shanghaiDateTime(order.cancelledAt)} /> : null}
      </View>

      <Popup visible={refunding} position="bottom" round closeable title="申请退款" onClose={() => setRefunding(false)}>
        {/* Mounted only while open: a second request starts from an empty form. */}
        {refunding ? (
          <RefundSheet
            amount={order.payable}
            couponBack={Boolean(order.couponId)}
            submitting={acting === 'refund'}
            onSubmit={(r) => void onRefund(r)}
          />
        ) : null}
      </Popup>

      <ActionBar>
        <View className="order-detail__bar">
          {secondary.map((action) => (
            <Button
              key={action.key}
              fill="outline"
              className="order-detail__secondary"
              loading={action.loading}
              disabled={Boolean(acting)}
              onClick={action.onClick}
              data-testid={`order-${action.key}`}
            >
              {action.label}
            </Button>
          ))}
          {primary ? (
            <Button
              type="primary"
              className="order-detail__primary"
              loading={primary.loading}
              disabled={Boolean(acting)}
              onClick={primary.onClick}
              data-testid={`order-${primary.key}`}
            >
              {primary.label}
            </Button>
          ) : secondary.length === 0 ? (
            <Button type="primary" className="order-detail__primary" onClick={() => void openPage(ORDER_LIST_PAGE)} data-testid="order-all">
              查看全部订单
            </Button>
          ) : null}
        </View>
      </ActionBar>
    </View>
  );
}

function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <View className="order-detail__row">
      <Text className="order-detail__label">{label}</Text>
      <Text className="order-detail__value" data-testid={testId}>
        {value}
      </Text>
    </View>
  );
}

function MoneyRow({ label, fen, minus }: { label: string; fen: number; minus?: boolean }) {
  return (
    <View className="order-detail__row">
      <Text className="order-detail__label">{label}</Text>
      <View className={`order-detail__money${minus ? ' order-detail__money--minus' : ''}`}>
        {minus ? <Text>-</Text> : null}
        <Price price={yuanOf(fen)} size="normal" color={minus ? 'primary' : 'darkgray'} />
      </View>
    </View>
  );
}
