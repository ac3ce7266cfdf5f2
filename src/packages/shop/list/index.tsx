import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { ProductGrid } from '../../../components/ProductGrid';
import { StatusView } from '../../../components/StatusView';
import { COUPON_CENTER_PAGE, PRODUCT_DETAIL_PAGE } from '../../../routes';
import { openPage, pageParams } from '../../../services/navigation';
import { EMPTY_LIST, listKey, useProductListStore } from '../../../stores/useProductListStore';
import './index.css';

/** Products on the shelf (query `campaign`: one campaign's). */
export default function ProductList() {
  const campaign = pageParams().campaign || undefined;
  const list = useProductListStore((state) => state.lists[listKey(campaign)]) ?? EMPTY_LIST;
  const load = useProductListStore((state) => state.load);
  // Every visit refreshes: prices and stock change while the page is away.
  useDidShow(() => void load(campaign));

  return (
    <View className="product-list" data-testid="product-list">
      <StatusView
        status={list.status}
        error={list.error}
        errorCode={list.failure?.code}
        onRetry={() => void load(campaign)}
        empty={list.products.length === 0}
        emptyText={campaign ? '这个活动的商品还在准备中' : '新品正在上架，先去领几张券吧'}
        emptyAction={{ label: '去领券中心', onClick: () => void openPage(COUPON_CENTER_PAGE) }}
      >
        <ProductGrid products={list.products} onOpen={(product) => void openPage(PRODUCT_DETAIL_PAGE, { id: product.productId })} />
      </StatusView>
    </View>
  );
}
