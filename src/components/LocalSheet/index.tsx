import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { answerLocalSheet, type LocalSheetRequest, type SubscribeChoice, watchLocalSheet } from '../../services/local-sheet';
import { Button } from '../../ui';
import './index.css';

export interface LocalSheetHostProps {
  /** Tests pass a request directly; the app listens to the services. */
  request?: LocalSheetRequest | null;
}

function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

/** H5 only: the local stand-in for WeChat's subscription and payment sheets. */
export function LocalSheetHost({ request: given }: LocalSheetHostProps) {
  const [watched, setWatched] = useState<LocalSheetRequest | null>(null);
  const [choices, setChoices] = useState<Record<string, SubscribeChoice>>({});
  useEffect(() => (given === undefined ? watchLocalSheet(setWatched) : undefined), [given]);
  const request = given === undefined ? watched : given;
  useEffect(() => {
    if (request?.kind === 'subscribe') setChoices(Object.fromEntries(request.templateIds.map((id) => [id, 'accept' as const])));
  }, [request]);
  if (!request) return null;

  if (request.kind === 'subscribe') {
    return (
      <View className="local-sheet" data-testid="local-sheet-subscribe">
        <View className="local-sheet__panel">
          <Text className="local-sheet__title">允许发送以下消息（本地模拟）</Text>
          {request.templateIds.map((id) => (
            <View
              key={id}
              className="local-sheet__row"
              data-testid={`subscribe-${id}`}
              onClick={() => setChoices((c) => ({ ...c, [id]: c[id] === 'accept' ? 'reject' : 'accept' }))}
            >
              <Text>{request.titles[id] ?? id}</Text>
              <Text className={choices[id] === 'accept' ? 'local-sheet__on' : 'local-sheet__off'}>
                {choices[id] === 'accept' ? '允许' : '拒绝'}
              </Text>
            </View>
          ))}
          <Button type="primary" block onClick={() => answerLocalSheet({ kind: 'subscribe', choices })}>
            确定
          </Button>
          <Button fill="none" block onClick={() => answerLocalSheet({ kind: 'subscribe', choices: {} })}>
            取消
          </Button>
        </View>
      </View>
    );
  }
  return (
    <View className="local-sheet" data-testid="local-sheet-pay">
      <View className="local-sheet__panel">
        <Text className="local-sheet__title">微信支付（本地模拟）</Text>
        <Text className="local-sheet__desc">{request.description}</Text>
        <Text className="local-sheet__amount" data-testid="pay-amount">
          {yuan(request.totalFee)}
        </Text>
        <Button type="primary" block onClick={() => answerLocalSheet({ kind: 'pay', result: 'SUCCESS' })}>
          确认支付
        </Button>
        <Button fill="outline" block onClick={() => answerLocalSheet({ kind: 'pay', result: 'FAIL' })}>
          模拟支付失败
        </Button>
        <Button fill="none" block onClick={() => answerLocalSheet({ kind: 'pay', result: 'CANCEL' })}>
          取消
        </Button>
      </View>
    </View>
  );
}
