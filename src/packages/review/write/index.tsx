import { Image, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import type { ReviewTarget, ReviewView } from '../../../../core/contracts/review';
import { MAX_REVIEW_PHOTOS, MAX_REVIEW_TEXT } from '../../../../core/fission/review';
import { ActionBar } from '../../../components/ActionBar';
import { StatusView } from '../../../components/StatusView';
import { ORDER_DETAIL_PAGE, ORDER_LIST_PAGE, REVIEW_WRITE_PAGE } from '../../../routes';
import { openPage, pageParams, replaceWith } from '../../../services/navigation';
import { canUploadPhotos } from '../../../services/review';
import { textLength, useReviewWriteStore } from '../../../stores/useReviewWriteStore';
import { Button } from '../../../ui';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });
const RATING_WORDS = ['', '很差', '较差', '一般', '满意', '超赞'];

/** Write a review of one line of a completed order (query `orderId`, `line`, default 0). */
export default function ReviewWrite() {
  const params = pageParams();
  const orderId = params.orderId || undefined;
  const line = Number.parseInt(params.line ?? '0', 10);
  const validLine = Number.isInteger(line) && line >= 0 && line < 50;
  const store = useReviewWriteStore();
  useDidShow(() => {
    if (orderId && validLine) void store.load(orderId, line);
  });

  const toOrders = { label: '查看我的订单', onClick: () => void openPage(ORDER_LIST_PAGE) };
  if (!orderId || !validLine) return <StatusView status="ready" empty emptyText="没有找到要评价的商品" emptyAction={toOrders} />;
  const mine = store.key === `${orderId}:${line}`;
  const target = mine ? store.target : null;
  const status = mine ? store.status : 'loading';

  return (
    <StatusView status={status} error={store.error} errorCode={store.failure?.code} onRetry={() => void store.load(orderId, line)}>
      {target ? <WriteBody target={target} /> : null}
    </StatusView>
  );
}

function ProductLine({ target }: { target: ReviewTarget }) {
  return (
    <View className="review-write__card review-write__product">
      {target.imageUrl ? (
        <Image className="review-write__image" src={target.imageUrl} mode="aspectFill" />
      ) : (
        <View className="review-write__image" />
      )}
      <View className="review-write__product-text">
        <Text className="review-write__name">{target.name}</Text>
        {target.specs ? <Text className="review-write__specs">{target.specs}</Text> : null}
      </View>
    </View>
  );
}

function Stars({ value, onPick }: { value: number; onPick?: (rating: number) => void }) {
  return (
    <View className="review-write__stars" data-testid="review-stars">
      {[1, 2, 3, 4, 5].map((n) => (
        <Text
          key={n}
          className={`review-write__star${n <= value ? ' review-write__star--on' : ''}`}
          onClick={onPick ? () => onPick(n) : undefined}
          data-testid={`review-star-${n}`}
        >
          ★
        </Text>
      ))}
      <Text className="review-write__rating-word">{RATING_WORDS[value] ?? ''}</Text>
    </View>
  );
}

function Posted({ target, review }: { target: ReviewTarget; review: ReviewView }) {
  const next = target.line + 1 < target.lineCount;
  return (
    <View className="review-write" data-testid="review-posted">
      <ProductLine target={target} />
      <View className="review-write__card">
        <Text className="review-write__heading">我的评价</Text>
        <Stars value={review.rating} />
        {review.text ? <Text className="review-write__posted-text">{review.text}</Text> : null}
        {review.photos.length > 0 ? (
          <View className="review-write__photos">
            {review.photos.map((url) => (url ? <Image key={url} className="review-write__photo" src={url} mode="aspectFill" /> : null))}
          </View>
        ) : null}
        <Text className="review-write__note">感谢你的评价，评价积分已发放到你的账户</Text>
      </View>
      <ActionBar>
        {next ? (
          <Button
            type="primary"
            block
            onClick={() => void replaceWith(REVIEW_WRITE_PAGE, { orderId: target.orderId, line: String(target.line + 1) })}
            data-testid="review-next"
          >
            评价下一件
          </Button>
        ) : (
          <Button type="primary" block onClick={() => void replaceWith(ORDER_DETAIL_PAGE, { id: target.orderId })}>
            返回订单
          </Button>
        )}
      </ActionBar>
    </View>
  );
}

function WriteBody({ target }: { target: ReviewTarget }) {
  const { rating, text, photos, uploading, submitting, setRating, setText, addPhotos, removePhoto, submit } = useReviewWriteStore();
  if (target.state === 'reviewed' && target.review) return <Posted target={target} review={target.review} />;
  if (target.state === 'not_completed') {
    return (
      <StatusView
        status="ready"
        empty
        emptyText="确认收货后就可以评价啦"
        emptyAction={{ label: '查看订单', onClick: () => void replaceWith(ORDER_DETAIL_PAGE, { id: target.orderId }) }}
      />
    );
  }
  const length = textLength(text);
  const send = async () => {
    const outcome = await submit();
    if (outcome.kind === 'done') toast(`评价成功，+${outcome.points} 积分`);
    else if (outcome.kind === 'refused') toast(outcome.message);
  };
  const pick = async () => {
    const problem = await addPhotos();
    if (problem) toast(problem);
  };

  return (
    <View className="review-write" data-testid="review-write">
      <ProductLine target={target} />
      <View className="review-write__card">
        <Text className="review-write__heading">商品评分</Text>
        <Stars value={rating} onPick={setRating} />
      </View>
      <View className="review-write__card">
        {/* One line, not a Textarea: its template would cost every page of the app 2 KB of the main package (as RefundSheet). */}
        <Input
          className="review-write__text"
          value={text}
          maxlength={-1}
          placeholder="说说口感、包装、物流，给其他人一些参考吧"
          onInput={(event) => setText(event.detail.value)}
          data-testid="review-text"
        />
        <Text className={`review-write__count${length.over ? ' review-write__count--over' : ''}`}>
          {length.count}/{MAX_REVIEW_TEXT}
        </Text>
        {canUploadPhotos() ? (
          <View className="review-write__photos">
            {photos.map((fileId) => (
              <View key={fileId} className="review-write__photo-cell">
                <Image className="review-write__photo" src={fileId} mode="aspectFill" />
                <Text className="review-write__photo-remove" onClick={() => removePhoto(fileId)}>
                  ×
                </Text>
              </View>
            ))}
            {photos.length < MAX_REVIEW_PHOTOS ? (
              <View className="review-write__photo review-write__photo-add" onClick={() => void pick()}>
                <Text>{uploading ? '上传中…' : '+ 添加图片'}</Text>
              </View>
            ) : null}
          </View>
        ) : null}
      </View>
      <Text className="review-write__hint">
        评价通过内容安全检测后发布，可得 {target.points} 积分；最多 {MAX_REVIEW_TEXT} 字
        {canUploadPhotos() ? `、${MAX_REVIEW_PHOTOS} 张图片` : ''}
      </Text>
      <ActionBar>
        <Button
          type="primary"
          block
          loading={submitting}
          disabled={submitting || uploading || rating < 1 || length.over}
          onClick={() => void send()}
          data-testid="review-submit"
        >
          {rating < 1 ? '请先打分' : '提交评价'}
        </Button>
      </ActionBar>
    </View>
  );
}
