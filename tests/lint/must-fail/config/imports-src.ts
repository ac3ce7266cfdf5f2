// expect: the Taro config imports nothing of the project
import { HOME_PAGE } from '../src/routes';
export const x = HOME_PAGE;
