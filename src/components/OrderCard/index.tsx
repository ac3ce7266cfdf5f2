import { Text, View } from '@tarojs/components';
import { useMemo, useState } from 'react';
import type { OrderView } from '../../../core/contracts/order';
import { shanghaiDateTime } from '../../../core/coupon/labels';
import { ORDER_STATE_LABELS } from '../../../core/order/labels';
import { remainingMs } from '../../stores/order-clock';
import { Button, Price, yuanOf } from '../../ui';
import { OrderLines } from '../OrderLines';
import { PayCountdown } from '../PayCountdown';
import './index.css';

export interface OrderCardProps {
  order: OrderView;
  /** Server clock minus phone clock when the list was read. */
  offsetMs: number;
  /** The action of this order in flight, if any: its button shows loading, the others take no tap. */
  acting?: string | null;
  onOpen: (order: OrderView) => void;
  onPay: (order: OrderView) => void;
  onConfirmReceipt: (order: OrderView) => void;
}

/** One order in the list: its lines, what was paid, and the next thing to do with it. */
export function OrderCard({ order, offsetMs, acting, onOpen, onPay, onConfirmReceipt }: OrderCardProps) {
  const left = useMemo(() => remainingMs(order.payBy, offsetMs), [order.payBy, offsetMs]);
  const [timedOut, setTimedOut] = useState(false);
  const payable = order.can.pay && !timedOut && left > 0;
  const count = order.lines.reduce((sum, line) => sum + line.quantity, 0);
  const busy = Boolean(acting);
  return (
    <View className="order-card" data-testid={`order-${order.orderId}`} onClick={() => onOpen(order)}>
      <View className="order-card__head">
        <Text className="order-card__time">{shanghaiDateTime(order.createdAt)}</Text>
        <Text className={`order-card__state order-card__state--${order.state}`} data-testid="order-state">
          {order.state === 'created' && !payable ? '已超时' : ORDER_STATE_LABELS[order.state]}
        </Text>
      </View>
      <OrderLines lines={order.lines} />
      <View className="order-card__total">
        <Text>{order.paidAt ? `共 ${count} 件，实付` : `共 ${count} 件，应付`}</Text>
        <Price price={yuanOf(order.payable)} size="normal" />
      </View>
      {payable || order.can.confirmReceipt ? (
        // Taps on the buttons act; they must not also open the order.
        <View className="order-card__actions" onClick={(event) => event.stopPropagation()}>
          {payable ? (
            <>
              <Text className="order-card__countdown">
                <PayCountdown remainingMs={left} onEnd={() => setTimedOut(true)} />
              </Text>
              <Button
                type="primary"
                size="small"
                loading={acting === 'starting' || acting === 'paying' || acting === 'confirming'}
                disabled={busy}
                onClick={() => onPay(order)}
                data-testid="order-pay"
              >
                {acting === 'confirming' ? '支付确认中' : '去支付'}
              </Button>
            </>
          ) : null}
          {order.can.confirmReceipt ? (
            <Button
              type="primary"
              fill="outline"
              size="small"
              loading={acting === 'confirm'}
              disabled={busy}
              onClick={() => onConfirmReceipt(order)}
              data-testid="order-confirm"
            >
              确认收货
            </Button>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
