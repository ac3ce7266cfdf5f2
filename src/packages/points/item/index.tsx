import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad } from '@tarojs/taro';
import { useState } from 'react';
import type { MallItemView } from '../../../../core/contracts/points';
import { shanghaiDate } from '../../../../core/coupon/labels';
import { ActionBar } from '../../../components/ActionBar';
import { AddressForm, AddressSummary } from '../../../components/AddressForm';
import { MallCover } from '../../../components/MallCover';
import { PointsPrice } from '../../../components/PointsPrice';
import { StatusView } from '../../../components/StatusView';
import { COUPON_WALLET_PAGE, MY_EXCHANGES_PAGE, ORDER_DETAIL_PAGE, POINTS_MALL_PAGE, PRODUCT_LIST_PAGE } from '../../../routes';
import { openPage, pageParams, replaceWith } from '../../../services/navigation';
import { type ExchangeDone, type ExchangePhase, exchangeAction, useMallItemStore } from '../../../stores/useMallItemStore';
import { Button, Price, yuanOf } from '../../../ui';
import { Popup } from '../../../ui/popup';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });

/** What each kind of item is, in one line under the details. */
const KIND_NOTES: Record<MallItemView['kind'], string> = {
  coupon: '兑换后优惠券自动放入券包，结算时可直接使用',
  product: '兑换后包邮寄到你填写的地址，可在订单中查看物流',
  points_cash: '积分抵扣后需支付现金部分，超时未支付积分将退回',
};

const PHASE_LABELS: Record<Exclude<ExchangePhase, 'idle'>, string> = {
  exchanging: '正在兑换',
  paying: '支付中',
  confirming: '支付确认中',
};

/** One mall item (query `id`) and its exchange: the confirmation sheet, then the success or the order. */
export default function MallItem() {
  const id = pageParams().id || undefined;
  const store = useMallItemStore();
  // A new visit starts clean (nothing exchanged on it yet); every visit reads the item again.
  useLoad(() => {
    if (id) store.start(id);
  });
  useDidShow(() => {
    if (id) void store.load(id);
  });

  const browse = { label: '去积分商城', onClick: () => void openPage(POINTS_MALL_PAGE) };
  if (!id) return <StatusView status="ready" empty emptyText="没有找到这件兑换商品" emptyAction={browse} />;
  const item = store.itemId === id ? store.item : null;
  const status = store.itemId === id ? store.status : 'loading';
  return (
    <StatusView status={status} error={store.error} errorCode={store.failure?.code} onRetry={() => void store.load(id)}>
      {item ? store.done ? <ExchangeSuccess done={store.done} /> : <ItemBody item={item} /> : null}
    </StatusView>
  );
}

function ItemBody({ item }: { item: MallItemView }) {
  const { balance, phase, exchange } = useMallItemStore();
  const [confirming, setConfirming] = useState(false);
  const action = exchangeAction(item);
  const busy = phase !== 'idle';

  const submit = async () => {
    const outcome = await exchange();
    switch (outcome.kind) {
      case 'busy':
        return;
      case 'exchanged':
        setConfirming(false);
        return;
      case 'ordered':
        setConfirming(false);
        if (outcome.message) toast(outcome.message);
        await replaceWith(ORDER_DETAIL_PAGE, { id: outcome.orderId, ...(outcome.payment === 'pending' ? { confirming: '1' } : {}) });
        return;
      case 'invalid':
        // The sheet stays open: the problem shows under its field.
        toast(outcome.message);
        return;
      case 'failed':
        // Nothing known yet: the sheet stays, and 确认兑换 again sends the same request.
        toast(outcome.message);
        return;
      default:
        setConfirming(false);
        toast(outcome.message);
    }
  };

  return (
    <View className="mall-item" data-testid="mall-item">
      <MallCover imageUrl={item.imageUrl} title={item.title} kind={item.kind} shape="wide" />
      <View className="mall-item__card">
        <PointsPrice points={item.points} cash={item.cash} originalPrice={item.originalPrice} size="large" />
        <Text className="mall-item__title" data-testid="mall-item-name">
          {item.title}
        </Text>
        {item.subtitle ? <Text className="mall-item__subtitle">{item.subtitle}</Text> : null}
      </View>
      <View className="mall-item__card mall-item__facts">
        <Fact label="剩余" value={item.stockLeft > 0 ? `${item.stockLeft} 件` : '已兑完'} testId="mall-item-stock" />
        <Fact
          label="限兑"
          value={`每人限兑 ${item.perMemberLimit} 次${item.mine > 0 ? `，已兑 ${item.mine} 次` : ''}`}
          testId="mall-item-limit"
        />
        <Fact label="兑换时间" value={exchangeWindow(item)} testId="mall-item-window" />
        <Text className="mall-item__note">{KIND_NOTES[item.kind]}</Text>
      </View>

      <Popup
        visible={confirming}
        position="bottom"
        round
        closeable={!busy}
        closeOnOverlayClick={!busy}
        title="确认兑换"
        onClose={() => setConfirming(false)}
      >
        <ConfirmSheet item={item} balance={balance} onConfirm={() => void submit()} />
      </Popup>

      <ActionBar>
        <View className="mall-item__bar">
          <View className="mall-item__mine">
            <Text className="mall-item__mine-label">我的积分</Text>
            <Text className="mall-item__mine-points" data-testid="mall-item-balance">
              {balance}
            </Text>
          </View>
          <Button
            type="primary"
            className="mall-item__exchange"
            disabled={!action.enabled || busy}
            onClick={() => setConfirming(true)}
            data-testid="mall-item-exchange"
          >
            {action.label}
          </Button>
        </View>
      </ActionBar>
    </View>
  );
}

/** `12月1日 - 12月31日`, with the year on a date outside this year (the phone's: the item carries no server time). */
function exchangeWindow(item: MallItemView): string {
  const now = new Date();
  return `${shanghaiDate(item.startAt, now)} - ${shanghaiDate(item.endAt, now)}`;
}

function Fact({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <View className="mall-item__fact">
      <Text className="mall-item__fact-label">{label}</Text>
      <Text className="mall-item__fact-value" data-testid={testId}>
        {value}
      </Text>
    </View>
  );
}

interface ConfirmSheetProps {
  item: MallItemView;
  balance: number;
  onConfirm: () => void;
}

/** What the exchange costs (points, and the cash to pay), where it ships, and the balance after. */
function ConfirmSheet({ item, balance, onConfirm }: ConfirmSheetProps) {
  const { address, addressErrors, editingAddress, phase, setAddressField, confirmAddress, editAddress } = useMallItemStore();
  const cash = item.cash > 0;
  const label = phase === 'idle' ? (cash ? '确认兑换并支付' : '确认兑换') : PHASE_LABELS[phase];
  return (
    <View className="mall-confirm" data-testid="mall-confirm">
      <View className="mall-confirm__item">
        <MallCover imageUrl={item.imageUrl} title={item.title} kind={item.kind} shape="thumb" />
        <View className="mall-confirm__item-body">
          <Text className="mall-confirm__title">{item.title}</Text>
          {item.subtitle ? <Text className="mall-confirm__subtitle">{item.subtitle}</Text> : null}
        </View>
      </View>
      {item.needsAddress ? (
        <View className="mall-confirm__address">
          {editingAddress ? (
            <AddressForm address={address} errors={addressErrors} onChange={setAddressField} onSave={() => void confirmAddress()} />
          ) : (
            <AddressSummary address={address} onEdit={editAddress} />
          )}
        </View>
      ) : null}
      <View className="mall-confirm__rows">
        <View className="mall-confirm__row">
          <Text className="mall-confirm__label">消耗积分</Text>
          <Text className="mall-confirm__points" data-testid="mall-confirm-points">
            {item.points} 积分
          </Text>
        </View>
        {cash ? (
          <View className="mall-confirm__row" data-testid="mall-confirm-cash">
            <Text className="mall-confirm__label">需支付</Text>
            <Price price={yuanOf(item.cash)} size="normal" />
          </View>
        ) : null}
        <View className="mall-confirm__row">
          <Text className="mall-confirm__label">兑换后剩余</Text>
          <Text className="mall-confirm__after">{Math.max(0, balance - item.points)} 积分</Text>
        </View>
      </View>
      <Button
        type="primary"
        block
        loading={phase !== 'idle'}
        disabled={phase !== 'idle'}
        onClick={onConfirm}
        data-testid="mall-confirm-submit"
      >
        {label}
      </Button>
    </View>
  );
}

/** After a coupon or a product: what happened, what it cost, and the way on. */
function ExchangeSuccess({ done }: { done: ExchangeDone }) {
  const { exchange, balance } = done;
  const coupon = exchange.kind === 'coupon';
  const pending = exchange.state === 'pending';
  const text = pending
    ? '正在为你发放，稍后可在我的兑换中查看'
    : coupon
      ? `${exchange.title}已放入券包`
      : '我们会尽快为你发货，可在订单中查看物流';
  return (
    <View className="mall-success" data-testid="exchange-success">
      <View className="mall-success__mark">✓</View>
      <Text className="mall-success__title">{pending ? '兑换处理中' : '兑换成功'}</Text>
      <Text className="mall-success__text">{text}</Text>
      <Text className="mall-success__spent" data-testid="exchange-success-spent">
        消耗 {exchange.points} 积分，剩余 {balance} 积分
      </Text>
      <View className="mall-success__actions">
        {coupon && exchange.couponId ? (
          <>
            <Button type="primary" block onClick={() => void openPage(PRODUCT_LIST_PAGE)} data-testid="exchange-success-use">
              去使用
            </Button>
            <Button fill="outline" block onClick={() => void openPage(COUPON_WALLET_PAGE)} data-testid="exchange-success-wallet">
              查看券包
            </Button>
          </>
        ) : null}
        {!coupon && exchange.orderId ? (
          <Button
            type="primary"
            block
            onClick={() => void openPage(ORDER_DETAIL_PAGE, { id: exchange.orderId as string })}
            data-testid="exchange-success-order"
          >
            查看订单
          </Button>
        ) : null}
        {pending ? (
          <Button type="primary" block onClick={() => void openPage(MY_EXCHANGES_PAGE)} data-testid="exchange-success-mine">
            查看我的兑换
          </Button>
        ) : null}
        <Button fill="none" block onClick={() => void replaceWith(POINTS_MALL_PAGE)} data-testid="exchange-success-more">
          继续兑换
        </Button>
      </View>
    </View>
  );
}
