import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adminContract } from '../contracts/admin';
import { checkMenu, KEYED_BUTTON_TYPES, MENU_LIMITS, type MenuButton, type MenuButtonType, utf8Bytes, withDefaultAppid } from './mp-menu';

const click = (name: string): MenuButton => ({ name, type: 'click', key: 'K' });

// Characters of every UTF-8 width, so a limit counted in characters or UTF-16 units would fail.
const oneByte = fc.constantFrom('a', 'Z', '7', '-', ' ');
const twoBytes = fc.constantFrom('é', 'ß', 'Ж', '©');
const threeBytes = fc.constantFrom('汉', '字', '菜', '单', '€');
const fourBytes = fc.constantFrom('😀', '𠀀');

/** Any text of exactly `bytes` UTF-8 bytes (Buffer is the oracle, not the code under test). */
function textOfBytes(bytes: number): fc.Arbitrary<string> {
  return fc.array(fc.oneof(oneByte, twoBytes, threeBytes, fourBytes), { maxLength: bytes }).map((chars) => {
    let text = '';
    let used = 0;
    for (const ch of chars) {
      const width = Buffer.byteLength(ch, 'utf8');
      if (used + width <= bytes) {
        text += ch;
        used += width;
      }
    }
    return text + 'a'.repeat(bytes - used);
  });
}

const KEYED_TYPES = KEYED_BUTTON_TYPES;

const URL_PREFIX = 'https://duet.example/a?';

/** A valid menu of `count` top buttons with `candidate` at `at`, so any issue is the candidate's. */
function menuWith(candidate: MenuButton, at: number, count: number): MenuButton[] {
  return Array.from({ length: count }, (_, i) => (i === at ? candidate : click(`b${i}`)));
}

/** A top button at `at` whose sub-button `subAt` (of `subCount`) is `candidate`. */
function subMenuWith(candidate: MenuButton, at: number, subAt: number, subCount: number): MenuButton[] {
  const parent: MenuButton = {
    name: '更多',
    sub_button: Array.from({ length: subCount }, (_, j) => (j === subAt ? candidate : click(`s${j}`))),
  };
  return menuWith(parent, at, MENU_LIMITS.buttons);
}

const topSlot = fc.integer({ min: 0, max: MENU_LIMITS.buttons - 1 });
const subSlot = fc.integer({ min: 0, max: MENU_LIMITS.subButtons - 1 });

describe('公众号 menu rules', () => {
  it('the byte generator makes exactly the bytes asked for, with multi-byte characters', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }).chain((n) => fc.tuple(fc.constant(n), textOfBytes(n))),
        ([n, text]) => {
          expect(Buffer.byteLength(text, 'utf8')).toBe(n);
          expect(utf8Bytes(text)).toBe(n);
        },
      ),
    );
    // Without multi-byte characters the name tests below would not test bytes at all.
    const samples = fc.sample(textOfBytes(60), { seed: 8, numRuns: 100 });
    expect(samples.filter((text) => text.length < 60).length).toBeGreaterThan(50);
  });

  it('names are limited in bytes: 5 Chinese characters fit a top button, 6 do not', () => {
    expect(checkMenu([click('五个汉字呀')])).toEqual([]);
    expect(checkMenu([click('五个汉字呀a')])).toEqual([]);
    expect(checkMenu([click('五个汉字呀ab')])).toEqual([
      { path: [0, 'name'], message: 'name is 17 bytes; WeChat allows 16 (a Chinese character is 3)' },
    ]);
    expect(checkMenu([click('六个汉字呀呀')])[0].path).toEqual([0, 'name']);
    expect(checkMenu([{ name: 'x', sub_button: [click('二十个汉字'.repeat(4))] }])).toEqual([]);
    expect(checkMenu([{ name: 'x', sub_button: [click('二十一个汉字'.repeat(4))] }])[0].path).toEqual([0, 'sub_button', 0, 'name']);
  });

  it('a top button name of exactly the limit is accepted, one byte over is refused at its path', () => {
    fc.assert(
      fc.property(topSlot, textOfBytes(MENU_LIMITS.nameBytes), textOfBytes(MENU_LIMITS.nameBytes + 1), (at, fits, over) => {
        expect(checkMenu(menuWith(click(fits), at, MENU_LIMITS.buttons))).toEqual([]);
        expect(checkMenu(menuWith(click(over), at, MENU_LIMITS.buttons))).toEqual([
          { path: [at, 'name'], message: 'name is 17 bytes; WeChat allows 16 (a Chinese character is 3)' },
        ]);
      }),
    );
  });

  it('a sub-button name of exactly the limit is accepted, one byte over is refused at its path', () => {
    fc.assert(
      fc.property(
        topSlot,
        subSlot,
        textOfBytes(MENU_LIMITS.subNameBytes),
        textOfBytes(MENU_LIMITS.subNameBytes + 1),
        (at, subAt, fits, over) => {
          expect(checkMenu(subMenuWith(click(fits), at, subAt, MENU_LIMITS.subButtons))).toEqual([]);
          expect(checkMenu(subMenuWith(click(over), at, subAt, MENU_LIMITS.subButtons))).toEqual([
            { path: [at, 'sub_button', subAt, 'name'], message: 'name is 61 bytes; WeChat allows 60 (a Chinese character is 3)' },
          ]);
        },
      ),
    );
  });

  it('a name is accepted exactly when its UTF-8 bytes are within the limit, on both sides of it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 * MENU_LIMITS.nameBytes }).chain((n) => fc.tuple(fc.constant(n), textOfBytes(n))),
        ([n, name]) => {
          const issues = checkMenu([click(name)]);
          expect(issues.length === 0).toBe(n <= MENU_LIMITS.nameBytes);
          for (const issue of issues) expect(issue.path).toEqual([0, 'name']);
        },
      ),
    );
  });

  it('an empty name is refused, not counted as zero bytes that fit', () => {
    expect(checkMenu([click('')])).toEqual([{ path: [0, 'name'], message: 'name is required' }]);
    expect(checkMenu([{ name: 'x', sub_button: [click('')] }])).toEqual([
      { path: [0, 'sub_button', 0, 'name'], message: 'name is required' },
    ]);
  });

  it('a key of exactly 128 bytes is accepted and of 129 refused, for every keyed type, top or sub', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KEYED_TYPES),
        topSlot,
        subSlot,
        textOfBytes(MENU_LIMITS.keyBytes),
        textOfBytes(MENU_LIMITS.keyBytes + 1),
        (type, at, subAt, fits, over) => {
          const withKey = (key: string): MenuButton => ({ name: 'k', type, key });
          const message = `key is over ${MENU_LIMITS.keyBytes} bytes`;
          expect(checkMenu(menuWith(withKey(fits), at, MENU_LIMITS.buttons))).toEqual([]);
          expect(checkMenu(menuWith(withKey(over), at, MENU_LIMITS.buttons))).toEqual([{ path: [at, 'key'], message }]);
          expect(checkMenu(subMenuWith(withKey(fits), at, subAt, MENU_LIMITS.subButtons))).toEqual([]);
          expect(checkMenu(subMenuWith(withKey(over), at, subAt, MENU_LIMITS.subButtons))).toEqual([
            { path: [at, 'sub_button', subAt, 'key'], message },
          ]);
        },
      ),
    );
  });

  it('a url of exactly 1024 bytes is accepted and of 1025 refused, for view and miniprogram buttons', () => {
    const room = MENU_LIMITS.urlBytes - utf8Bytes(URL_PREFIX);
    fc.assert(
      fc.property(
        fc.constantFrom<MenuButtonType>('view', 'miniprogram'),
        topSlot,
        subSlot,
        textOfBytes(room),
        textOfBytes(room + 1),
        (type, at, subAt, fits, over) => {
          const withUrl = (url: string): MenuButton =>
            type === 'view' ? { name: 'v', type, url } : { name: 'm', type, url, appid: 'wx1', pagepath: 'pages/index/index' };
          const message = `url is over ${MENU_LIMITS.urlBytes} bytes`;
          expect(checkMenu(menuWith(withUrl(URL_PREFIX + fits), at, MENU_LIMITS.buttons))).toEqual([]);
          expect(checkMenu(menuWith(withUrl(URL_PREFIX + over), at, MENU_LIMITS.buttons))).toEqual([{ path: [at, 'url'], message }]);
          expect(checkMenu(subMenuWith(withUrl(URL_PREFIX + fits), at, subAt, MENU_LIMITS.subButtons))).toEqual([]);
          expect(checkMenu(subMenuWith(withUrl(URL_PREFIX + over), at, subAt, MENU_LIMITS.subButtons))).toEqual([
            { path: [at, 'sub_button', subAt, 'url'], message },
          ]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a menu has 1 to 3 top buttons: any other count is refused at the root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), (count) => {
        const issues = checkMenu(Array.from({ length: count }, (_, i) => click(`b${i}`)));
        if (count >= 1 && count <= MENU_LIMITS.buttons) expect(issues).toEqual([]);
        else expect(issues).toEqual([{ path: [], message: `a menu has 1 to 3 buttons, got ${count}` }]);
      }),
    );
  });

  it('a button has at most 5 sub-buttons: 6 or more are refused at its sub_button', () => {
    fc.assert(
      fc.property(topSlot, fc.integer({ min: 1, max: 15 }), (at, count) => {
        const issues = checkMenu(subMenuWith(click('s'), at, 0, count));
        if (count <= MENU_LIMITS.subButtons) expect(issues).toEqual([]);
        else expect(issues).toEqual([{ path: [at, 'sub_button'], message: `at most 5 sub-buttons, got ${count}` }]);
      }),
    );
  });

  it('reports every problem at once, each with its own path', () => {
    const issues = checkMenu([
      click('五个汉字呀ab'),
      { name: '更多', sub_button: [click('ok'), { name: 'k', type: 'click', key: 'k'.repeat(129) }] },
      { name: 'v', type: 'view', url: `${URL_PREFIX}${'x'.repeat(MENU_LIMITS.urlBytes)}` },
      click('d'),
    ]);
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(['', '0.name', '1.sub_button.1.key', '2.url']);
  });

  it('the admin contract reports a checkMenu issue under buttons with the same path and message', () => {
    const parsed = adminContract.actions.setMpMenu.input.safeParse({
      buttons: [click('ok'), { name: '更多', sub_button: [click('s'), click('二十一个汉字'.repeat(4))] }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => ({ path: issue.path, message: issue.message }))).toEqual([
      { path: ['buttons', 1, 'sub_button', 1, 'name'], message: 'name is 72 bytes; WeChat allows 60 (a Chinese character is 3)' },
    ]);
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

  it('fills the default appid only where a miniprogram button lacks one, without touching the input', () => {
    const input: MenuButton[] = [
      { name: 'm', type: 'miniprogram', url: 'https://x.cn', pagepath: 'p' },
      { name: '更多', sub_button: [{ name: 'n', type: 'miniprogram', url: 'https://x.cn', pagepath: 'p', appid: 'wxown' }, click('c')] },
    ];
    const before = structuredClone(input);
    const filled = withDefaultAppid(input, 'wxdefault');
    expect(input).toEqual(before);
    expect(filled[0].appid).toBe('wxdefault');
    expect(filled[1].sub_button?.[0].appid).toBe('wxown');
    expect(filled[1].sub_button?.[1]).toEqual(click('c'));
    expect(withDefaultAppid(input, undefined)[0].appid).toBeUndefined();
  });
});
