import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { StatusView } from '../../../components/StatusView';
import { LANDING_PAGE } from '../../../routes';
import { goHome, replaceWith } from '../../../services/navigation';
import { useEntryStore } from '../../../stores/useEntryStore';
import { Button } from '../../../ui';
import './index.css';

type Query = Record<string, string | undefined>;

/**
 * Where article codes and share cards land. The scene comes in the page query and, on a cold
 * start from a code, in the launch options too; either way it is decoded on the server.
 */
export function readArrival(query: Query, launch: { path?: string; query?: Query } | null): Query {
  const arrival: Query = { ...query };
  const launchedHere = launch?.path?.replace(/^\//, '') === LANDING_PAGE;
  if (!arrival.scene && launchedHere && launch?.query?.scene) arrival.scene = launch.query.scene;
  return arrival;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // A malformed escape (a hand-edited link) goes on as it came: the visit's validation refuses it with a message.
    return value;
  }
}

/**
 * The arrival's keys the visit takes (`id`: the shared page's own, e.g. an invite card's group).
 * WeChat and Taro's H5 router hand the page its query still URL-encoded (a share card's
 * `to=packages%2F…`), so the share keys are decoded here; the scene is sent as it came, since the
 * server decodes it (core/entry/scene.ts decodeScene) whether it came encoded or not.
 */
export function pick(arrival: Query) {
  const request: Record<string, string> = {};
  for (const key of ['scene', 'sharer', 'campaign', 'article', 'to', 'id'] as const) {
    const value = arrival[key];
    if (typeof value === 'string' && value !== '') request[key] = key === 'scene' ? value : decoded(value);
  }
  return request;
}

export default function Landing() {
  const { status, error, failure, visit } = useEntryStore();
  const go = async (query: Query) => {
    let launch: { path?: string; query?: Query } | null = null;
    try {
      launch = Taro.getLaunchOptionsSync() as { path?: string; query?: Query };
    } catch {
      launch = null;
    }
    const result = await visit(pick(readArrival(query, launch)));
    if (!result) return;
    // A notice (unknown or expired code) stays in the entry store: the page landed on shows it.
    await replaceWith(result.page, result.params);
  };
  useLoad((query: Query) => {
    void go(query ?? {});
  });
  return (
    <View className="landing" data-testid="landing">
      <StatusView
        status={status === 'ready' ? 'loading' : status}
        error={error}
        errorCode={failure?.code}
        onRetry={() => void go(Taro.getCurrentInstance().router?.params ?? {})}
      >
        <Text>正在为你打开…</Text>
      </StatusView>
      {status === 'error' ? (
        <View className="landing__home">
          <Button fill="none" onClick={() => void goHome()}>
            返回首页
          </Button>
        </View>
      ) : null}
    </View>
  );
}
