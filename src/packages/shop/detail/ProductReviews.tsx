import { Image, Text, View } from '@tarojs/components';
import { useEffect } from 'react';
import { shanghaiDate } from '../../../../core/coupon/labels';
import { useProductReviewsStore } from '../../../stores/useProductReviewsStore';
import { Button, Skeleton } from '../../../ui';

/** The product page's reviews: average, count, 好评率 and the newest reviews (查看更多 pages on). */
export function ProductReviews({ productId }: { productId: string }) {
  const store = useProductReviewsStore();
  useEffect(() => {
    void useProductReviewsStore.getState().load(productId);
  }, [productId]);
  const mine = store.productId === productId;
  const summary = mine ? store.summary : null;

  return (
    <View className="product__card" data-testid="product-reviews">
      <View className="product__reviews-head">
        <Text className="product__heading">商品评价{summary && summary.count > 0 ? `（${summary.count}）` : ''}</Text>
        {summary?.average != null ? (
          <Text className="product__reviews-score" data-testid="product-reviews-score">
            {summary.average.toFixed(1)} 分{summary.positive != null ? ` · 好评率 ${summary.positive}%` : ''}
          </Text>
        ) : null}
      </View>
      {!mine || store.status === 'loading' || store.status === 'idle' ? (
        <Skeleton rows={2} animated />
      ) : store.status === 'error' ? (
        <View className="product__reviews-error">
          <Text className="product__reviews-empty">{store.error ?? '评价加载失败'}</Text>
          <Button size="small" fill="outline" onClick={() => void store.load(productId)}>
            重试
          </Button>
        </View>
      ) : store.reviews.length === 0 ? (
        <Text className="product__reviews-empty">还没有评价，买过的朋友收货后可以来说说感受</Text>
      ) : (
        <>
          {store.reviews.map((review) => (
            <View key={review.reviewId} className="product__review" data-testid="product-review">
              <View className="product__review-who">
                <Text className="product__review-avatar">{review.initial}</Text>
                <Text className="product__review-name">{review.nickname}</Text>
                <Text className="product__review-stars">{'★'.repeat(review.rating)}</Text>
                <Text className="product__review-date">{shanghaiDate(review.createdAt)}</Text>
              </View>
              {review.specs ? <Text className="product__review-specs">{review.specs}</Text> : null}
              {review.text ? <Text className="product__review-text">{review.text}</Text> : null}
              {review.photos.some(Boolean) ? (
                <View className="product__review-photos">
                  {review.photos.map((url) =>
                    url ? <Image key={url} className="product__review-photo" src={url} mode="aspectFill" lazyLoad /> : null,
                  )}
                </View>
              ) : null}
            </View>
          ))}
          {store.nextCursor ? (
            <Button
              size="small"
              fill="none"
              loading={store.loadingMore}
              onClick={() => void store.more()}
              data-testid="product-reviews-more"
            >
              查看更多评价
            </Button>
          ) : null}
        </>
      )}
    </View>
  );
}
