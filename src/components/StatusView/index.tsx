import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { Button, Empty, Skeleton } from '../../ui';
import './index.css';

export interface StatusViewProps {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Chinese message shown with the retry button. */
  error?: string | null;
  /** Shown when ready but there is nothing to show. */
  empty?: boolean;
  emptyText?: string;
  onRetry?: () => void;
  children?: ReactNode;
}

/** Loading, error (with retry) and empty states, so every page handles all three the same way. */
export function StatusView({ status, error, empty, emptyText, onRetry, children }: StatusViewProps) {
  if (status === 'idle' || status === 'loading') {
    return (
      <View className="status-view" data-testid="status-loading" aria-busy="true">
        <Skeleton rows={3} animated />
      </View>
    );
  }
  if (status === 'error') {
    return (
      <View className="status-view" data-testid="status-error">
        <Empty status="error" title="加载失败" description={error ?? '网络异常，请稍后重试'} />
        {onRetry ? (
          <Button type="primary" block onClick={onRetry}>
            重试
          </Button>
        ) : null}
      </View>
    );
  }
  if (empty) {
    return (
      <View className="status-view" data-testid="status-empty">
        <Empty status="empty" description={emptyText ?? '暂无内容'} />
      </View>
    );
  }
  return <>{children}</>;
}
