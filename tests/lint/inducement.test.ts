import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { findInducement } from '../../core/fission/inducement';

const root = path.resolve(import.meta.dirname, '../..');
const HAN = /\p{Script=Han}/u;

/** Source folders whose strings can reach a reader: the app, the rules and views, the server's messages and seed copy. */
const SOURCE_DIRS = ['src', 'core', 'server', 'cloudfunctions'];
/** Configuration a reader sees through WeChat: the notice templates and their fallbacks. */
const JSON_FILES = ['cloud/subscribe-templates.json'];

interface Text {
  where: string;
  text: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * Every string a file holds that has Han in it: literals, templates (the parts joined, each `${…}`
 * read as "…", so the sentence stays one text) and JSX text. Comments are not strings.
 */
function stringsOf(file: string): Text[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: Text[] = [];
  const add = (node: ts.Node, text: string) => {
    if (!HAN.test(text)) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    found.push({ where: `${path.relative(root, file)}:${line + 1}`, text });
  };
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isJsxText(node)) add(node, node.text);
    else if (ts.isTemplateExpression(node)) {
      add(node, [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('…'));
      for (const span of node.templateSpans) visit(span.expression);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function jsonStrings(file: string): Text[] {
  const found: Text[] = [];
  const walk = (value: unknown, at: string) => {
    if (typeof value === 'string') {
      if (HAN.test(value)) found.push({ where: `${file} ${at}`, text: value });
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, `${at}[${i}]`);
    } else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, `${at}.${key}`);
  };
  walk(JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')), '$');
  return found;
}

/**
 * The platform removes apps that tie rewards to sharing (PLATFORM.md, sharing). Every user-facing
 * string of the app, the server's messages and seed copy, and the notice templates is read for the
 * phrasing core/fission/inducement.ts names; one such string turns CI red with its place.
 */
describe('no induced sharing in what readers see', () => {
  const texts = [...SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(root, dir)).flatMap(stringsOf)), ...JSON_FILES.flatMap(jsonStrings)];

  it('reads the strings of the app, the server and the notice templates', () => {
    // The scan sees the app's pages and the templates' Chinese (a broken walk would pass vacuously).
    expect(texts.length).toBeGreaterThan(800);
    expect(texts.some((t) => t.where.startsWith('src/packages/'))).toBe(true);
    expect(texts.some((t) => t.where.startsWith('cloud/subscribe-templates.json'))).toBe(true);
  });

  it('finds no reward tied to a share, no likes collected, no draw chances for sharing or following, no chance in a share flow', () => {
    const flagged = texts.flatMap(({ where, text }) => {
      const inducement = findInducement(text);
      return inducement ? [`${where}: "${text}" — ${inducement.reason} (${inducement.matched.join(', ')})`] : [];
    });
    expect(flagged).toEqual([]);
  });

  it('would catch the seed ideas as they were written', () => {
    const probe = path.join(root, 'node_modules/.cache/duet-test/inducement-probe.tsx');
    fs.mkdirSync(path.dirname(probe), { recursive: true });
    fs.writeFileSync(
      probe,
      [
        'const a = "分享小程序至朋友圈，领取专属优惠";',
        `const b = \`集赞换好礼 \${n}\`;`,
        'const c = <Text>邀请好友助力，赢取大奖</Text>;',
      ].join('\n'),
    );
    const found = stringsOf(probe).filter((t) => findInducement(t.text));
    expect(found.map((t) => t.text)).toEqual(['分享小程序至朋友圈，领取专属优惠', '集赞换好礼 …', '邀请好友助力，赢取大奖']);
  });
});
