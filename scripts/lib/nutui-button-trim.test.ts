import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import postcss from 'postcss';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * config/postcss-trim-nutui-button.cjs keeps only the Button variants the app draws. These tests
 * hold it to that: what it drops from NutUI's real stylesheet, and no Button in the app asking for
 * a dropped variant (it would render unstyled in the mini-program).
 */
const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const trim = require(path.join(root, 'config/postcss-trim-nutui-button.cjs')) as {
  (): postcss.Plugin;
  UNUSED_PARTS: string[];
  isUnusedSelector(selector: string): boolean;
};
const BUTTON_CSS = require.resolve('@nutui/nutui-react-taro/dist/es/packages/button/style/style.css');

function selectorsOf(css: string): string[] {
  const selectors: string[] = [];
  postcss.parse(css).walkRules((rule) => {
    selectors.push(...rule.selectors);
  });
  return selectors;
}

describe('trimming NutUI Button’s stylesheet', () => {
  it('drops the unused types, sizes, the dashed fill and RTL, and keeps every variant the app draws', async () => {
    const source = fs.readFileSync(BUTTON_CSS, 'utf8');
    const { css } = await postcss([trim()]).process(source, { from: BUTTON_CSS });
    const kept = selectorsOf(css);
    for (const used of [
      '.nut-button',
      '.nut-button-primary',
      '.nut-button-default',
      '.nut-button-outline',
      '.nut-button-none',
      '.nut-button-small',
      '.nut-button-normal',
      '.nut-button-block',
      '.nut-button-disabled',
      '.nut-button-loading',
      '.nut-button-round',
    ]) {
      expect(kept.some((selector) => selector.split(/[\s,:]/).includes(used))).toBe(true);
    }
    expect(kept.filter((selector) => /danger|success|warning|info|xlarge|mini|dashed|rtl/.test(selector))).toEqual([]);
    expect(css.length).toBeLessThan(source.length * 0.6);
  });

  it('leaves every other stylesheet alone', async () => {
    const css = '.nut-button-danger { color: red; }';
    expect((await postcss([trim()]).process(css, { from: '/x/src/components/Foo/index.css' })).css).toBe(css);
  });

  it('splits a rule whose selectors are partly unused', () => {
    expect(trim.isUnusedSelector('.nut-button-default-dashed-disabled')).toBe(true);
    expect(trim.isUnusedSelector('.nut-button-default-outline-disabled')).toBe(false);
    expect(trim.isUnusedSelector('.nut-rtl .nut-button-text')).toBe(true);
    expect(trim.isUnusedSelector('.nut-button-primary.nut-button-solid.nut-button-normal')).toBe(false);
  });

  it('no Button in the app asks for a dropped variant', () => {
    const problems: string[] = [];
    const files = fs
      .readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.tsx') && !file.endsWith('.test.tsx'));
    for (const file of files) {
      const full = path.join(root, 'src', file);
      const source = ts.createSourceFile(full, fs.readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const visit = (node: ts.Node) => {
        if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && node.tagName.getText() === 'Button') {
          for (const attribute of node.attributes.properties) {
            if (!ts.isJsxAttribute(attribute) || !attribute.initializer) continue;
            const name = attribute.name.getText();
            if (!['type', 'size', 'fill', 'shape'].includes(name)) continue;
            // Any literal in the value (a ternary of two, too) must be a kept variant.
            const literals = attribute.initializer.getText().match(/'([^']*)'|"([^"]*)"/g) ?? [];
            for (const literal of literals) {
              if (trim.UNUSED_PARTS.includes(literal.slice(1, -1))) problems.push(`${file}: <Button ${name}=${literal}>`);
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(problems).toEqual([]);
  });
});
