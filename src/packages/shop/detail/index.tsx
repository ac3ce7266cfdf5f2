import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { formatLinesParam } from '../../../../core/order/lines-param';
import { ActionBar } from '../../../components/ActionBar';
import { ProductGallery } from '../../../components/ProductGallery';
import { SkuPicker } from '../../../components/SkuPicker';
import { StatusView } from '../../../components/StatusView';
import { CHECKOUT_PAGE, GROUP_ACTIVITY_PAGE, PRODUCT_LIST_PAGE } from '../../../routes';
import { openPage, pageParams } from '../../../services/navigation';
import { useGroupListStore } from '../../../stores/useGroupListStore';
import { isSoldOut, missingSpecs, priceRange, selectedSku, useProductStore } from '../../../stores/useProductStore';
import { Button, Price, yuanOf } from '../../../ui';
import { Popup } from '../../../ui/popup';
import { ProductReviews } from './ProductReviews';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none' });

/** One product (query `id`): pictures, price, the SKU sheet and 立即购买. */
export default function ProductDetail() {
  const id = pageParams().id || undefined;
  const store = useProductStore();
  const [picking, setPicking] = useState(false);
  // Every visit reads the product again: stock and prices are live, and a choice stays if still in stock.
  const groups = useGroupListStore();
  useDidShow(() => {
    if (id) void store.load(id);
    // The running group-buys (what the storefront shows too): this product's, if any, gets its entry.
    void groups.load();
  });

  const browse = { label: '去逛逛', onClick: () => void openPage(PRODUCT_LIST_PAGE) };
  if (!id) return <StatusView status="ready" empty emptyText="没有找到这个商品" emptyAction={browse} />;
  // Another product's answer (the store is shared) is never shown under this page.
  const product = store.productId === id ? store.product : null;
  const status = store.productId === id ? store.status : 'loading';

  return (
    <StatusView status={status} error={store.error} errorCode={store.failure?.code} onRetry={() => void store.load(id)}>
      {product ? (
        <ProductBody
          picking={picking}
          setPicking={setPicking}
          onBuy={(skuId, quantity) => {
            setPicking(false);
            void openPage(CHECKOUT_PAGE, { lines: formatLinesParam([{ skuId, quantity }]) });
          }}
        />
      ) : null}
    </StatusView>
  );
}

interface ProductBodyProps {
  picking: boolean;
  setPicking: (open: boolean) => void;
  onBuy: (skuId: string, quantity: number) => void;
}

function ProductBody({ picking, setPicking, onBuy }: ProductBodyProps) {
  const { product, selected, quantity, select, setQuantity } = useProductStore();
  const group = useGroupListStore((state) => state.activities.find((card) => card.activity.productId === product?.productId));
  if (!product) return null;
  const sku = selectedSku(product, selected);
  const range = priceRange(product);
  const missing = missingSpecs(product, selected);
  const soldOut = isSoldOut(product);
  const buy = () => {
    if (!sku) {
      if (picking) toast(`请选择 ${missing.join(' ')}`);
      else setPicking(true);
      return;
    }
    if (sku.stock <= 0) {
      toast('该规格已售罄，请选择其他规格');
      return;
    }
    onBuy(sku.skuId, quantity);
  };
  const mainLabel = !product.onShelf ? '商品已下架' : soldOut ? '已售罄' : '立即购买';
  const canBuy = product.onShelf && !soldOut;

  return (
    <View className="product" data-testid="product-detail">
      <ProductGallery imageUrls={product.imageUrls} name={product.name} />
      <View className="product__card">
        <View className="product__price" data-testid="product-detail-price">
          {sku ? (
            <Price price={yuanOf(sku.price)} size="xlarge" />
          ) : (
            <>
              <Price price={yuanOf(range.min)} size="xlarge" />
              {range.max > range.min ? (
                <>
                  <Text className="product__dash">-</Text>
                  <Price price={yuanOf(range.max)} size="xlarge" />
                </>
              ) : null}
            </>
          )}
        </View>
        <Text className="product__name" data-testid="product-title">
          {product.name}
        </Text>
        {!product.onShelf ? <Text className="product__notice">该商品已下架，看看其他好物吧</Text> : null}
      </View>
      {group && group.activity.phase === 'running' && group.activity.stockLeft > 0 ? (
        <View
          className="product__card product__choice"
          onClick={() => void openPage(GROUP_ACTIVITY_PAGE, { id: group.activity.activityId })}
          data-testid="product-group"
        >
          <Text className="product__group-price">¥{(group.activity.groupPrice / 100).toFixed(2)}</Text>
          <Text className="product__choice-value">
            {group.activity.size}人团{group.openGroups > 0 ? ` · ${group.openGroups}个团正在拼` : ''}
          </Text>
          <Text className="product__group-go">去拼团</Text>
          <Text className="product__chevron">›</Text>
        </View>
      ) : null}
      {canBuy ? (
        <View className="product__card product__choice" onClick={() => setPicking(true)} data-testid="product-choice">
          <Text className="product__choice-label">{missing.length > 0 ? '选择' : '已选'}</Text>
          <Text className="product__choice-value">
            {missing.length > 0 ? missing.join(' ') : `${product.specs.map((spec) => selected[spec.name]).join(' ')}，${quantity}件`}
          </Text>
          <Text className="product__chevron">›</Text>
        </View>
      ) : null}
      {product.description ? (
        <View className="product__card">
          <Text className="product__heading">商品详情</Text>
          <Text className="product__description">{product.description}</Text>
        </View>
      ) : null}
      <ProductReviews productId={product.productId} />
      <Popup visible={picking} position="bottom" round closeable onClose={() => setPicking(false)}>
        <SkuPicker product={product} selected={selected} quantity={quantity} onSelect={select} onQuantity={setQuantity} />
        <View className="product__sheet-action">
          <Button type="primary" block disabled={!canBuy} onClick={buy} data-testid="sku-confirm">
            立即购买
          </Button>
        </View>
      </Popup>
      <ActionBar>
        <Button type="primary" block disabled={!canBuy} onClick={buy} data-testid="product-buy">
          {mainLabel}
        </Button>
      </ActionBar>
    </View>
  );
}
