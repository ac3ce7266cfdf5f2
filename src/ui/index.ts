// NutUI React Taro, imported per component with its own stylesheet: importing the package
// root would pull every component and the whole 232 KB stylesheet into the main package.
import Button from '@nutui/nutui-react-taro/dist/es/packages/button';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import Cell from '@nutui/nutui-react-taro/dist/es/packages/cell';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import Price from '@nutui/nutui-react-taro/dist/es/packages/price';
import '@nutui/nutui-react-taro/dist/es/packages/price/style/css';
import Skeleton from '@nutui/nutui-react-taro/dist/es/packages/skeleton';
import '@nutui/nutui-react-taro/dist/es/packages/skeleton/style/css';
import Tag from '@nutui/nutui-react-taro/dist/es/packages/tag';
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css';

// Not NutUI's Empty: its default pictures load from a JD CDN (see components/StatusView).
export { Button, Cell, Price, Skeleton, Tag };

/** NutUI's Price takes yuan; money travels as integer fen. */
export function yuanOf(fen: number): number {
  return fen / 100;
}
