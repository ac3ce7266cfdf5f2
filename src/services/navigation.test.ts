import { describe, expect, it } from 'vitest';
import { setRouterParams } from '../../tests/support/taro-double';
import { pageParams } from './navigation';

describe('pageParams', () => {
  it('decodes the query the platform hands over still encoded, and keeps what is not valid encoding', () => {
    setRouterParams({ id: encodeURIComponent('claim:tpl-spring-new:m1:1'), campaign: 'cmp-spring', odd: '100%' });
    expect(pageParams()).toEqual({ id: 'claim:tpl-spring-new:m1:1', campaign: 'cmp-spring', odd: '100%' });
  });
});
