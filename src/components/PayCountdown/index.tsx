import { Text, View } from '@tarojs/components';
import { CountDown } from '../../ui/countdown';
import './index.css';

export interface PayCountdownProps {
  /** Milliseconds left to pay on the server's clock, taken when the order was read. */
  remainingMs: number;
  /** The time ran out while shown. */
  onEnd?: () => void;
  /** Words before the time (剩余); after it, e.g. 自动取消. */
  before?: string;
  after?: string;
}

/** 剩余 mm:ss: the time left to pay, ticking on the phone from the server's reading. */
export function PayCountdown({ remainingMs, onEnd, before = '剩余', after }: PayCountdownProps) {
  return (
    <View className="pay-countdown" data-testid="pay-countdown">
      <Text>{before}</Text>
      <CountDown
        className="pay-countdown__time"
        type="text"
        remainingTime={Math.max(1, remainingMs)}
        format={remainingMs >= 3_600_000 ? 'HH:mm:ss' : 'mm:ss'}
        onEnd={onEnd}
      />
      {after ? <Text>{after}</Text> : null}
    </View>
  );
}
