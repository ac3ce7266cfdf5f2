import { View } from '@tarojs/components';
import { StatusView } from '../../../components/StatusView';

/** H5: a link to a page the app does not have lands here (the mini-program goes home instead). */
export default function NotFound() {
  return (
    <View data-testid="not-found">
      <StatusView status="ready" empty emptyText="页面不存在或已下架" />
    </View>
  );
}
