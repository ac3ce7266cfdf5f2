import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { NoticeBanner } from '../../components/NoticeBanner';
import { Button } from '../../ui';
import './index.css';

export default function Home() {
  return (
    <View className="home">
      <NoticeBanner />
      <View className="home__hero">
        <Text className="home__title">欢迎来到 Duet</Text>
        <Text className="home__subtitle">公众号与小程序，一个会员</Text>
      </View>
      <Button type="primary" block onClick={() => void Taro.switchTab({ url: '/pages/member/index' })}>
        进入会员中心
      </Button>
    </View>
  );
}
