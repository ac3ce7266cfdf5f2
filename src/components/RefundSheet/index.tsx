import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { Button, Price, yuanOf } from '../../ui';
import './index.css';

export interface RefundSheetProps {
  /** What comes back (fen): the whole order's payable. */
  amount: number;
  /** The request is in flight: the button shows loading and takes no tap. */
  submitting?: boolean;
  /** The order used a coupon: it comes back with the refund. */
  couponBack?: boolean;
  onSubmit: (reason: string) => void;
}

export const REFUND_REASONS: readonly string[] = ['不想要了', '拍错了 / 多拍了', '地址信息填写错误', '商品降价了', '其他原因'];

/** The note's limit: with the longest reason it stays within the server's 200 characters. */
export const NOTE_LIMIT = 100;

/** The reason as the server keeps it: the chosen one, and the member's note after it. */
export function refundReason(reason: string, note: string): string {
  const text = note.trim();
  return text ? `${reason}：${text}` : reason;
}

/** 申请退款: why (one of the usual reasons, 其他原因 needs a word), an optional note, and what comes back. */
export function RefundSheet({ amount, submitting, couponBack, onSubmit }: RefundSheetProps) {
  const [reason, setReason] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const needsNote = reason === '其他原因' && !note.trim();
  return (
    <View className="refund-sheet" data-testid="refund-sheet">
      <View className="refund-sheet__amount">
        <Text>退款金额</Text>
        <Price price={yuanOf(amount)} size="large" />
      </View>
      <Text className="refund-sheet__hint">整单退款，款项原路退回{couponBack ? '，优惠券同时退回' : ''}</Text>
      <Text className="refund-sheet__heading">退款原因</Text>
      <View className="refund-sheet__reasons">
        {REFUND_REASONS.map((option) => (
          <View
            key={option}
            className={`refund-sheet__reason${option === reason ? ' refund-sheet__reason--on' : ''}`}
            onClick={() => setReason(option)}
            data-testid="refund-reason"
          >
            <Text>{option}</Text>
          </View>
        ))}
      </View>
      {/* One line, not a Textarea: its template would cost every page of the app 2 KB of the main package. */}
      <Input
        className="refund-sheet__note"
        value={note}
        maxlength={NOTE_LIMIT}
        placeholder={reason === '其他原因' ? '请说明退款原因' : '补充说明（选填）'}
        placeholderClass="refund-sheet__placeholder"
        onInput={(event) => setNote(event.detail.value)}
        data-testid="refund-note"
      />
      <Button
        type="primary"
        block
        disabled={!reason || needsNote}
        loading={submitting}
        onClick={() => {
          if (reason && !needsNote && !submitting) onSubmit(refundReason(reason, note));
        }}
        data-testid="refund-submit"
      >
        {reason ? '提交申请' : '请选择退款原因'}
      </Button>
    </View>
  );
}
