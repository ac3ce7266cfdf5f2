/** The few DOM helpers the UI needs instead of a framework: every view rebuilds its own part of the page. */

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | EventListener | undefined | null>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else el.setAttribute(name === 'testid' ? 'data-testid' : name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** `1,234` */
export const count = (n: number) => n.toLocaleString('en-US');

/** An ISO time as the local cloud's users read it: China time, since the platform runs in UTC+8. */
export function cnTime(iso: string | undefined | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Date(date.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/** A button that shows it is busy and reports a failure in `status` instead of throwing it away. */
export function action(label: string, run: () => Promise<unknown>, attrs: Attrs = {}): HTMLButtonElement {
  const button = h('button', { type: 'button', ...attrs }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await run();
    } catch (error) {
      toast(messageOf(error), true);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** The message of a control-plane refusal (`{ error: { message } }`), or of anything thrown. */
export function messageOf(error: unknown): string {
  const body = (error as { body?: { error?: { message?: string; errMsg?: string } } })?.body;
  return body?.error?.message ?? body?.error?.errMsg ?? (error as Error)?.message ?? String(error);
}

export function toast(message: string, failed = false): void {
  const el = h('div', { class: `toast${failed ? ' failed' : ''}`, role: 'status', testid: failed ? 'toast-error' : 'toast' }, message);
  document.body.appendChild(el);
  setTimeout(() => el.remove(), failed ? 8000 : 3000);
}

/** JSON typed into a textarea, or a toast and undefined. */
export function parseJson(text: string, what: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: text.trim() === '' ? {} : JSON.parse(text) };
  } catch (error) {
    toast(`${what} is not JSON: ${(error as Error).message}`, true);
    return { ok: false };
  }
}
