/**
 * The 公众号 custom menu, checked before it is sent to `menu/create`: WeChat answers a bad menu
 * with one numeric code for the first problem; the operator gets every problem with its path.
 * Limits from WeChat's documentation: ≤ 3 buttons, ≤ 5 sub-buttons, names ≤ 16 / 60 bytes,
 * keys ≤ 128 bytes, urls ≤ 1024 bytes.
 */

export const MENU_LIMITS = { buttons: 3, subButtons: 5, nameBytes: 16, subNameBytes: 60, keyBytes: 128, urlBytes: 1024 } as const;

export const MENU_BUTTON_TYPES = [
  'click',
  'view',
  'miniprogram',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
  'media_id',
  'article_id',
] as const;
export type MenuButtonType = (typeof MENU_BUTTON_TYPES)[number];

/** Button types that carry a `key` (sent back in the CLICK / scancode / pic / location push). */
export const KEYED_BUTTON_TYPES: readonly MenuButtonType[] = [
  'click',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
];
const KEYED = new Set<string>(KEYED_BUTTON_TYPES);

export interface MenuButton {
  name: string;
  type?: MenuButtonType;
  key?: string;
  url?: string;
  appid?: string;
  pagepath?: string;
  media_id?: string;
  article_id?: string;
  sub_button?: MenuButton[];
}

export interface MenuIssue {
  path: Array<string | number>;
  message: string;
}

export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Every problem of a menu; empty when WeChat would accept it. */
export function checkMenu(buttons: MenuButton[]): MenuIssue[] {
  const issues: MenuIssue[] = [];
  if (buttons.length < 1 || buttons.length > MENU_LIMITS.buttons) {
    issues.push({ path: [], message: `a menu has 1 to ${MENU_LIMITS.buttons} buttons, got ${buttons.length}` });
  }
  buttons.forEach((button, i) => {
    const at = [i];
    checkName(button.name, MENU_LIMITS.nameBytes, at, issues);
    const subs = button.sub_button ?? [];
    if (subs.length > 0) {
      if (button.type) issues.push({ path: [...at, 'type'], message: 'a button with sub_button has no type of its own' });
      if (subs.length > MENU_LIMITS.subButtons) {
        issues.push({ path: [...at, 'sub_button'], message: `at most ${MENU_LIMITS.subButtons} sub-buttons, got ${subs.length}` });
      }
      subs.forEach((sub, j) => {
        const subAt = [...at, 'sub_button', j];
        checkName(sub.name, MENU_LIMITS.subNameBytes, subAt, issues);
        if (sub.sub_button && sub.sub_button.length > 0)
          issues.push({ path: [...subAt, 'sub_button'], message: 'sub-buttons cannot nest' });
        checkAction(sub, subAt, issues);
      });
    } else {
      checkAction(button, at, issues);
    }
  });
  return issues;
}

function checkName(name: string, maxBytes: number, at: Array<string | number>, issues: MenuIssue[]): void {
  if (!name) issues.push({ path: [...at, 'name'], message: 'name is required' });
  else if (utf8Bytes(name) > maxBytes) {
    issues.push({
      path: [...at, 'name'],
      message: `name is ${utf8Bytes(name)} bytes; WeChat allows ${maxBytes} (a Chinese character is 3)`,
    });
  }
}

function checkAction(button: MenuButton, at: Array<string | number>, issues: MenuIssue[]): void {
  const need = (field: keyof MenuButton, why: string) => {
    const value = button[field];
    if (typeof value !== 'string' || value.length === 0) issues.push({ path: [...at, field], message: why });
  };
  if (!button.type) {
    issues.push({
      path: [...at, 'type'],
      message: `type is required (one of ${MENU_BUTTON_TYPES.join(', ')}) unless the button has sub_button`,
    });
    return;
  }
  if (KEYED.has(button.type)) {
    need('key', `a ${button.type} button needs key`);
    if (button.key && utf8Bytes(button.key) > MENU_LIMITS.keyBytes)
      issues.push({ path: [...at, 'key'], message: `key is over ${MENU_LIMITS.keyBytes} bytes` });
  }
  if (button.type === 'view' || button.type === 'miniprogram') {
    need(
      'url',
      button.type === 'view'
        ? 'a view button needs url'
        : 'a miniprogram button needs url: old WeChat clients open it instead of the mini-program',
    );
    if (button.url && !/^https?:\/\//i.test(button.url))
      issues.push({ path: [...at, 'url'], message: 'url must start with http:// or https://' });
    if (button.url && utf8Bytes(button.url) > MENU_LIMITS.urlBytes)
      issues.push({ path: [...at, 'url'], message: `url is over ${MENU_LIMITS.urlBytes} bytes` });
  }
  if (button.type === 'miniprogram') {
    need('appid', 'a miniprogram button needs appid (defaults to DUET_MINI_APPID when set)');
    need('pagepath', 'a miniprogram button needs pagepath');
    if (button.pagepath?.startsWith('/')) issues.push({ path: [...at, 'pagepath'], message: 'pagepath has no leading "/"' });
  }
  if (button.type === 'media_id') need('media_id', 'a media_id button needs media_id');
  if (button.type === 'article_id') need('article_id', 'an article_id button needs article_id');
}

/** Fills the mini-program appid where a miniprogram button leaves it out. */
export function withDefaultAppid(buttons: MenuButton[], appid: string | undefined): MenuButton[] {
  const fill = (b: MenuButton): MenuButton => {
    const next: MenuButton = { ...b };
    if (next.type === 'miniprogram' && !next.appid && appid) next.appid = appid;
    if (next.sub_button) next.sub_button = next.sub_button.map(fill);
    return next;
  };
  return buttons.map(fill);
}
