import { Text, View } from '@tarojs/components';
import type { CalendarDay } from '../../../core/contracts/points';
import './index.css';

export interface CheckInCalendarProps {
  /** The 7 days of the current streak cycle, as the server sent them. */
  days: readonly CalendarDay[];
}

/**
 * The check-in week: each day with the points it gives, days already checked in ticked, today
 * marked, and the streak bonus day standing out so the reader sees what keeping on brings.
 */
export function CheckInCalendar({ days }: CheckInCalendarProps) {
  return (
    <View className="checkin-calendar" data-testid="checkin-calendar">
      {days.map((day) => {
        const classes = [
          'checkin-day',
          day.done ? 'checkin-day--done' : '',
          day.today ? 'checkin-day--today' : '',
          day.bonus ? 'checkin-day--bonus' : '',
        ].filter(Boolean);
        return (
          <View key={day.day} className={classes.join(' ')} data-testid="checkin-day">
            <View className="checkin-day__box">
              {day.bonus && !day.done ? <Text className="checkin-day__badge">礼</Text> : null}
              <Text className="checkin-day__points">+{day.points}</Text>
              <Text className="checkin-day__mark" data-testid="checkin-day-mark">
                {day.done ? '✓' : day.bonus ? '额外奖励' : '积分'}
              </Text>
            </View>
            <Text className="checkin-day__label" data-testid="checkin-day-label">
              {day.today && day.done ? '已签到' : day.label}
            </Text>
          </View>
        );
      })}
    </View>
  );
}
