import { Text, View } from '@tarojs/components';
import type { LedgerEntryView } from '../../../core/contracts/points';
import { shanghaiDate, shanghaiDateTime } from '../../../core/coupon/labels';
import './index.css';

export interface LedgerListProps {
  entries: readonly LedgerEntryView[];
  /** The server's time: dates in another year say their year. */
  serverTime?: string | null;
}

/** `12月2日 09:00` on the Asia/Shanghai clock (with the year when it is not this year's). */
export function pointsTime(at: string, serverTime?: string | null): string {
  return `${shanghaiDate(at, serverTime ? new Date(serverTime) : undefined)} ${shanghaiDateTime(at).slice(11)}`;
}

/** The points history: what each change was, when, the points in or out, and the balance after it. */
export function LedgerList({ entries, serverTime }: LedgerListProps) {
  return (
    <View className="ledger-list" data-testid="ledger-list">
      {entries.map((entry) => (
        <View key={entry.key} className="ledger-row" data-testid="ledger-row">
          <View className="ledger-row__text">
            <Text className="ledger-row__title" data-testid="ledger-title">
              {entry.title}
            </Text>
            <Text className="ledger-row__time">{pointsTime(entry.at, serverTime)}</Text>
          </View>
          <View className="ledger-row__numbers">
            <Text className={`ledger-row__delta ledger-row__delta--${entry.delta >= 0 ? 'in' : 'out'}`} data-testid="ledger-delta">
              {entry.delta > 0 ? `+${entry.delta}` : String(entry.delta)}
            </Text>
            <Text className="ledger-row__after">余额 {entry.balanceAfter}</Text>
          </View>
        </View>
      ))}
    </View>
  );
}
