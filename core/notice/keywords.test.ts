import { describe, expect, it } from 'vitest';
import { fitKeyword } from './keywords';

describe('fitKeyword: a value made to fit its keyword type', () => {
  it('cuts a long thing to 20 characters with an ellipsis, counting an emoji as one', () => {
    expect(fitKeyword('thing', '春季会员节限定款樱花陶瓷马克杯礼盒装（两只装）')).toBe('春季会员节限定款樱花陶瓷马克杯礼盒装（…');
    expect([...fitKeyword('thing', '🎉'.repeat(30))]).toHaveLength(20);
    expect(fitKeyword('thing', '  第一行\n第二行\t ')).toBe('第一行 第二行');
    expect(fitKeyword('thing', '')).toBe('-');
  });

  it('formats fen as an amount, dates and times on the Asia/Shanghai clock', () => {
    expect(fitKeyword('amount', 5900)).toBe('¥59.00');
    expect(fitKeyword('amount', 5)).toBe('¥0.05');
    expect(fitKeyword('amount', '￥12.5元')).toBe('￥12.5元');
    expect(fitKeyword('amount', 'free')).toBe('¥0.00');
    expect(fitKeyword('date', new Date('2026-12-31T16:30:00Z'))).toBe('2027年1月1日');
    expect(fitKeyword('time', '2026-12-03T02:05:00.000Z')).toBe('2026-12-03 10:05');
    expect(() => fitKeyword('date', 'soon')).toThrow(RangeError);
  });

  it('keeps only what a type allows: phrase is ≤ 5 Chinese characters, character_string printable ASCII', () => {
    expect(fitKeyword('phrase', '退款成功啦!!')).toBe('退款成功啦');
    expect(fitKeyword('phrase', 'OK')).toBe('通知');
    expect(fitKeyword('character_string', '订单 2026120300001234')).toBe('2026120300001234');
    expect(fitKeyword('number', '共 3 件')).toBe('3');
    expect(fitKeyword('name', '张三123')).toBe('张三');
    expect(fitKeyword('phone_number', '电话：138-0013-8000')).toBe('138-0013-8000');
  });
});
