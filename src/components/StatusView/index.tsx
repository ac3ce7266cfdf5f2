import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import type { ErrorCode } from '../../../core/errors';
import { goHome } from '../../services/navigation';
import { Button, Skeleton } from '../../ui';
import './index.css';

export interface StatusViewProps {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Chinese message shown with the error. */
  error?: string | null;
  /** Why it failed: decides whether 重试 can help or only 回到首页 makes sense. */
  errorCode?: ErrorCode | null;
  /** Shown when ready but there is nothing to show. */
  empty?: boolean;
  emptyText?: string;
  /** The empty state's next step (去领券); without one it leads home. */
  emptyAction?: { label: string; onClick: () => void };
  onRetry?: () => void;
  children?: ReactNode;
}

/** Refusals a second try cannot change: the thing is gone, the link is wrong, the rule says no. */
const NOT_RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'NOT_FOUND',
  'INVALID_ARGUMENT',
  'PERMISSION_DENIED',
  'FAILED_PRECONDITION',
  'ALREADY_EXISTS',
  'SCENE_INVALID',
  'SCENE_EXPIRED',
]);

export function canRetry(code: ErrorCode | null | undefined): boolean {
  return !code || !NOT_RETRYABLE.has(code);
}

/**
 * Loading, error and empty states, the same on every page. Drawn with local styles only (no
 * picture from anyone's CDN), and never a dead end: an error that a retry can fix offers 重试,
 * any other error and an empty page offer 回到首页.
 */
export function StatusView({ status, error, errorCode, empty, emptyText, emptyAction, onRetry, children }: StatusViewProps) {
  if (status === 'idle' || status === 'loading') {
    return (
      <View className="status-view" data-testid="status-loading" aria-busy="true">
        <Skeleton rows={3} animated />
      </View>
    );
  }
  if (status === 'error') {
    const retry = onRetry && canRetry(errorCode);
    return (
      <View className="status-view" data-testid="status-error">
        <View className="status-view__mark status-view__mark--error">!</View>
        <Text className="status-view__title">加载失败</Text>
        <Text className="status-view__text">{error ?? '网络异常，请稍后重试'}</Text>
        {retry ? (
          <Button type="primary" block onClick={onRetry}>
            重试
          </Button>
        ) : (
          <Button type="primary" block onClick={() => void goHome()} data-testid="status-home">
            回到首页
          </Button>
        )}
      </View>
    );
  }
  if (empty) {
    return (
      <View className="status-view" data-testid="status-empty">
        <View className="status-view__mark">○</View>
        <Text className="status-view__text">{emptyText ?? '暂无内容'}</Text>
        {emptyAction ? (
          <Button fill="outline" block onClick={emptyAction.onClick} data-testid="status-next">
            {emptyAction.label}
          </Button>
        ) : (
          <Button fill="outline" block onClick={() => void goHome()} data-testid="status-home">
            回到首页
          </Button>
        )}
      </View>
    );
  }
  return <>{children}</>;
}
