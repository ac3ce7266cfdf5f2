import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMenu, type MenuButton, utf8Bytes, withDefaultAppid } from './mp-menu';

const click = (name: string): MenuButton => ({ name, type: 'click', key: 'K' });

describe('公众号 menu rules', () => {
  it('names are limited in bytes: 5 Chinese characters fit a top button, 6 do not', () => {
    expect(checkMenu([click('五个汉字呀')])).toEqual([]);
    expect(checkMenu([click('六个汉字呀呀')])[0].path).toEqual([0, 'name']);
    expect(checkMenu([{ name: 'x', sub_button: [click('二十个汉字'.repeat(4))] }])).toEqual([]);
    expect(checkMenu([{ name: 'x', sub_button: [click('二十一个汉字'.repeat(4))] }])[0].path).toEqual([0, 'sub_button', 0, 'name']);
  });

  it('any name within the byte limits is accepted, any over them refused', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), (name) => {
        const issues = checkMenu([click(name)]);
        expect(issues.length === 0).toBe(utf8Bytes(name) <= 16);
      }),
    );
  });

  it('counts buttons and sub-buttons; each type needs its fields', () => {
    expect(checkMenu([click('a'), click('b'), click('c'), click('d')])[0].message).toContain('1 to 3');
    expect(checkMenu([{ name: 'x', sub_button: Array.from({ length: 6 }, () => click('s')) }])[0].path).toEqual([0, 'sub_button']);
    const mini: MenuButton = { name: 'm', type: 'miniprogram', pagepath: 'pages/index/index' };
    expect(checkMenu([mini]).map((i) => i.path.join('.'))).toEqual(['0.url', '0.appid']);
    expect(checkMenu(withDefaultAppid([{ ...mini, url: 'https://x.cn' }], 'wx1'))).toEqual([]);
    expect(checkMenu([{ name: 'v', type: 'view' }])[0].path).toEqual([0, 'url']);
    expect(checkMenu([{ name: 'c', type: 'click' }])[0].path).toEqual([0, 'key']);
  });
});
