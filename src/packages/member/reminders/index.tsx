import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import type { GrantView } from '../../../../core/contracts/notice';
import { StatusView } from '../../../components/StatusView';
import { useMemberStore } from '../../../stores/useMemberStore';
import { type EnableOutcome, useRemindersStore } from '../../../stores/useRemindersStore';
import { Button } from '../../../ui';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2000 });

function tell(outcome: EnableOutcome) {
  if (outcome.kind === 'answered' && outcome.answer === 'accept') toast('已开启提醒');
  else if (outcome.kind === 'failed') toast('未能开启提醒，请检查微信通知设置');
}

function stateOf(grant: GrantView): { text: string; tone: 'on' | 'off' } {
  // `ban`: WeChat itself stopped this template (已被后台封禁), not the member's choice.
  if (grant.banned) return { text: '暂不可用', tone: 'off' };
  if (grant.remaining > 0) return { text: `可提醒 ${grant.remaining} 次`, tone: 'on' };
  return { text: '未开启', tone: 'off' };
}

/**
 * 消息提醒: each reminder the app may send as a WeChat service notice, with how many sends the
 * member's grants allow; 开启 opens WeChat's sheet for that one reminder (one accept, one send).
 */
export default function Reminders() {
  const { status, grants, error, failure, enabling, load, enable } = useRemindersStore();
  const refresh = async () => {
    if (!useMemberStore.getState().member) await useMemberStore.getState().login();
    await load();
  };
  // Every visit reads again: a reminder may have been sent, or turned back on in WeChat's settings.
  useDidShow(() => void refresh());
  return (
    <View className="reminders" data-testid="reminders">
      <Text className="reminders__intro">开启后，我们会在需要时通过微信服务通知提醒你；每开启一次可提醒一次。</Text>
      <StatusView
        status={status}
        error={error}
        errorCode={failure?.code}
        onRetry={() => void refresh()}
        empty={grants.length === 0}
        emptyText="暂时没有可以开启的提醒"
      >
        <View className="reminders__list">
          {grants.map((grant) => {
            const state = stateOf(grant);
            const mine = enabling === grant.templateId;
            return (
              <View key={grant.templateId} className="reminder" data-testid="reminder">
                <View className="reminder__text">
                  <Text className="reminder__title" data-testid="reminder-title">
                    {grant.title}
                  </Text>
                  <Text className={`reminder__state reminder__state--${state.tone}`} data-testid="reminder-state">
                    {state.text}
                  </Text>
                  {grant.banned ? <Text className="reminder__hint">微信已暂停此类提醒</Text> : null}
                </View>
                {grant.banned ? null : (
                  <Button
                    className="reminder__action"
                    type="primary"
                    fill={grant.remaining > 0 ? 'outline' : 'solid'}
                    loading={mine}
                    disabled={enabling !== null}
                    onClick={() => void enable(grant.templateId).then(tell)}
                    data-testid="reminder-enable"
                  >
                    {grant.remaining > 0 ? '再开启一次' : '开启'}
                  </Button>
                )}
              </View>
            );
          })}
        </View>
      </StatusView>
    </View>
  );
}
