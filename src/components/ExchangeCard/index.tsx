import { Text, View } from '@tarojs/components';
import type { ExchangeView } from '../../../core/contracts/points';
import { Button } from '../../ui';
import { pointsTime } from '../LedgerList';
import { MallCover } from '../MallCover';
import { PointsPrice } from '../PointsPrice';
import './index.css';

export interface ExchangeCardProps {
  exchange: ExchangeView;
  serverTime?: string | null;
  /** 去使用: a coupon the exchange issued. */
  onUse: (exchange: ExchangeView) => void;
  /** 查看订单: the order a product exchange made. */
  onOrder: (exchange: ExchangeView) => void;
  /** 去支付: the cash part of an exchange awaiting payment. */
  onPay: (exchange: ExchangeView) => void;
  /** This card's payment is in flight: its button shows loading. */
  paying?: boolean;
  /** Another card's payment is in flight: no second one starts. */
  busy?: boolean;
}

/** The next step of an exchange, if it has one. */
export function exchangeNext(exchange: ExchangeView): 'use' | 'pay' | 'order' | null {
  if (exchange.kind === 'coupon') return exchange.couponId && exchange.state === 'done' ? 'use' : null;
  if (!exchange.orderId) return null;
  return exchange.state === 'awaiting_payment' ? 'pay' : 'order';
}

/** One exchange: what it was, what it cost, where it is (已兑换, 待支付 …), and its next step. */
export function ExchangeCard({ exchange, serverTime, onUse, onOrder, onPay, paying = false, busy = false }: ExchangeCardProps) {
  const next = exchangeNext(exchange);
  const live = exchange.state === 'done' || exchange.state === 'awaiting_payment' || exchange.state === 'pending';
  return (
    <View className="exchange-card" data-testid={`exchange-${exchange.exchangeId}`}>
      <View className="exchange-card__head">
        <Text className="exchange-card__time">{pointsTime(exchange.createdAt, serverTime)}</Text>
        <Text className={`exchange-card__state${live ? '' : ' exchange-card__state--off'}`} data-testid="exchange-state">
          {exchange.stateText}
        </Text>
      </View>
      <View className="exchange-card__main">
        <MallCover imageUrl={exchange.imageUrl} title={exchange.title} kind={exchange.kind} shape="thumb" />
        <View className="exchange-card__body">
          <Text className="exchange-card__title" data-testid="exchange-title">
            {exchange.title}
          </Text>
          <PointsPrice points={exchange.points} cash={exchange.cash} />
        </View>
      </View>
      {next ? (
        <View className="exchange-card__actions">
          {next === 'use' ? (
            <Button size="small" type="primary" fill="outline" onClick={() => onUse(exchange)} data-testid="exchange-use">
              去使用
            </Button>
          ) : null}
          {next === 'order' ? (
            <Button size="small" fill="outline" onClick={() => onOrder(exchange)} data-testid="exchange-order">
              查看订单
            </Button>
          ) : null}
          {next === 'pay' ? (
            <>
              <Button size="small" fill="outline" onClick={() => onOrder(exchange)} data-testid="exchange-order">
                查看订单
              </Button>
              <Button
                size="small"
                type="primary"
                loading={paying}
                disabled={busy || paying}
                onClick={() => onPay(exchange)}
                data-testid="exchange-pay"
              >
                去支付
              </Button>
            </>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
