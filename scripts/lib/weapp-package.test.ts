import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkWeappOutput, externalImages } from './weapp-package';

const dirs: string[] = [];
function fixture(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-weapp-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
const page = (p: string, js = 'var a = 1;') => ({ [`${p}.js`]: js, [`${p}.json`]: '{}', [`${p}.wxml`]: '<view/>', [`${p}.wxss`]: '' });
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('checkWeappOutput', () => {
  const app = { pages: ['pages/index/index'], subPackages: [{ root: 'packages/member', pages: ['profile/index'] }] };

  it('passes a complete ES5 build and splits sizes by package', () => {
    const dir = fixture({
      'app.json': JSON.stringify(app),
      'app.js': 'var x = 1;',
      ...page('pages/index/index'),
      ...page('packages/member/profile/index'),
    });
    const report = checkWeappOutput(dir);
    expect(report.problems).toEqual([]);
    expect(report.sizes.subpackages['packages/member']).toBe(fs.statSync(path.join(dir, 'packages/member/profile/index.js')).size + 2 + 7);
    expect(report.sizes.main + report.sizes.subpackages['packages/member']).toBe(report.sizes.total);
  });

  it('reports a page without its wxml and a missing subpackage', () => {
    const files = { 'app.json': JSON.stringify(app), ...page('pages/index/index') };
    delete (files as Record<string, string>)['pages/index/index.wxml'];
    const report = checkWeappOutput(fixture(files));
    expect(report.problems).toContain('page pages/index/index has no .wxml file');
    expect(report.problems).toContain('subpackage packages/member does not exist');
  });

  it('refuses modern syntax that old WeChat clients cannot run', () => {
    const dir = fixture({
      'app.json': JSON.stringify(app),
      ...page('pages/index/index', 'const f = () => 1;'),
      ...page('packages/member/profile/index'),
    });
    expect(checkWeappOutput(dir).problems.join('\n')).toMatch(/pages\/index\/index\.js is not ES5/);
  });

  it('refuses a main package over the 420 KB budget, and passes one just under it', () => {
    const files = () => ({
      'app.json': JSON.stringify(app),
      ...page('pages/index/index', ''),
      ...page('packages/member/profile/index', ''),
    });
    const under = fixture(files());
    const base = checkWeappOutput(under).sizes.main;
    const room = 420 * 1024 - base;
    const justUnder = fixture({ ...files(), 'vendors.js': `var s="${'x'.repeat(room - 9)}";` });
    expect(checkWeappOutput(justUnder).sizes.main).toBe(420 * 1024);
    expect(checkWeappOutput(justUnder).problems).toEqual([]);
    const over = fixture({ ...files(), 'vendors.js': `var s="${'x'.repeat(room - 8)}";` });
    expect(checkWeappOutput(over).problems.join('\n')).toMatch(/main package is 420\.0 KB, over Duet's 420\.0 KB budget/);
  });

  it('refuses a subpackage over the 150 KB budget and counts its files to it, not to the main package', () => {
    const dir = fixture({
      'app.json': JSON.stringify(app),
      ...page('pages/index/index'),
      ...page('packages/member/profile/index'),
      'packages/member/vendor.js': `var s="${'x'.repeat(151 * 1024)}";`,
    });
    const report = checkWeappOutput(dir);
    expect(report.sizes.subpackages['packages/member']).toBeGreaterThan(150 * 1024);
    expect(report.sizes.main).toBeLessThan(10 * 1024);
    expect(report.problems.join('\n')).toMatch(/subpackage packages\/member is 151\.\d KB, over Duet's 150\.0 KB budget/);
  });

  it('refuses a build that loads an image from another host, in scripts, templates and styles', () => {
    const dir = fixture({
      'app.json': JSON.stringify(app),
      ...page('pages/index/index', 'var img = "https://storage.360buyimg.com/imgtools/abc.png";'),
      ...page('packages/member/profile/index'),
      'app.wxss': '.a { background: url(//cdn.example.com/bg.jpg) }',
    });
    const problems = checkWeappOutput(dir).problems.join('\n');
    expect(problems).toContain('pages/index/index.js loads an image from https://storage.360buyimg.com/imgtools/abc.png');
    expect(problems).toContain('app.wxss loads an image from //cdn.example.com/bg.jpg');
  });

  it('lets local pictures, cloud storage and non-image links pass', () => {
    expect(externalImages('"/assets/tab/home.png" "cloud://env.abc/x.png" "https://mp.weixin.qq.com/s/tea" "https://a.b/png"')).toEqual([]);
  });

  it('explains a missing build', () => {
    expect(checkWeappOutput(fixture({})).problems[0]).toMatch(/run npm run build:weapp first/);
  });
});
