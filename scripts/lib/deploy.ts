import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FUNCTION_ENV } from '../../core/deploy/function-env';

/** What `npm run deploy` uploads as the weapp version, from package.json and git. */
export interface Release {
  version: string;
  description: string;
  commit: string | null;
  /** Uncommitted changes to tracked files: what would be uploaded is not a commit. */
  dirty: boolean;
}

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** WeChat's 版本号 takes letters, digits, dots, hyphens and underscores; the 项目备注 is kept short. */
const VERSION = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_DESCRIPTION_CHARS = 100;

/**
 * The version is a tag on HEAD (a leading `v` dropped) or package.json's version plus the short
 * commit; the description is the last commit's subject. Outside a git checkout: package.json's
 * version and no commit (a real upload refuses that).
 */
export function releaseFromGit(root: string): Release {
  const pkgVersion = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version as string;
  const commit = git(root, ['rev-parse', '--short=7', 'HEAD']);
  if (!commit) return { version: pkgVersion, description: `${pkgVersion} (not a git checkout)`, commit: null, dirty: true };
  const tag = git(root, ['describe', '--tags', '--exact-match', 'HEAD']);
  const version = tag && VERSION.test(tag.replace(/^v/, '')) ? tag.replace(/^v/, '') : `${pkgVersion}-${commit}`;
  const subject = git(root, ['log', '-1', '--format=%s']) ?? '';
  const description =
    [...subject].length > MAX_DESCRIPTION_CHARS ? `${[...subject].slice(0, MAX_DESCRIPTION_CHARS - 1).join('')}…` : subject;
  const dirty = (git(root, ['status', '--porcelain', '--untracked-files=no']) ?? '') !== '';
  return { version, description, commit, dirty };
}

/**
 * The upload key (微信公众平台 → 开发管理 → 开发设置 → 小程序代码上传 → 生成): a PEM private key,
 * saved as `private.<appid>.key`. Checked offline: it parses as an RSA private key, and a file named
 * for another appid is refused.
 */
export function checkUploadKey(file: string, appid: string): { ok: true; summary: string } | { ok: false; problem: string } {
  if (!fs.existsSync(file)) return { ok: false, problem: `upload key ${file} does not exist` };
  const text = fs.readFileSync(file, 'utf8');
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text))
    return { ok: false, problem: `upload key ${file} is not a PEM private key (download it again: 开发管理 → 开发设置 → 小程序代码上传)` };
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(text);
  } catch (error) {
    return { ok: false, problem: `upload key ${file} does not parse: ${(error as Error).message}` };
  }
  if (key.asymmetricKeyType !== 'rsa') return { ok: false, problem: `upload key ${file} is ${key.asymmetricKeyType}, not RSA` };
  const named = /^private\.(wx[0-9a-zA-Z]+)\.key$/.exec(path.basename(file))?.[1];
  if (named && named !== appid) return { ok: false, problem: `upload key ${file} is named for ${named}, but the appid is ${appid}` };
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return { ok: true, summary: `${path.basename(file)} (RSA${bits ? ` ${bits}` : ''})` };
}

export interface TimerTrigger {
  name: string;
  type: string;
  config: string;
}

/** One function as miniprogram-ci's cloud.uploadFunction would send it. */
export interface FunctionUpload {
  name: string;
  dir: string;
  /** Files in the zip (node_modules left out: remote npm install). */
  files: string[];
  /** Bytes of index.js. */
  bundleBytes: number;
  /** Bytes of the zip, made by miniprogram-ci's own zipper, as uploadFunction makes it. */
  zipBytes: number;
  timeout: number | null;
  openapi: string[];
  triggers: TimerTrigger[];
}

interface Zipper {
  zipFile(dir: string, options: { ignore?: string[] }): { files: Record<string, { dir: boolean }> };
  zipToBuffer(zip: unknown): Promise<Buffer>;
}

/** Every function folder under `dir`, zipped the way miniprogram-ci 2.1.42 zips it (remote npm install). */
export async function assembleFunctions(dir: string): Promise<FunctionUpload[]> {
  const require = createRequire(import.meta.url);
  // Not part of the package's typed API: the zipper cloud.uploadFunction itself calls.
  const zipper = require('miniprogram-ci/dist/ci/cloud/utils') as Zipper;
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const uploads: FunctionUpload[] = [];
  for (const name of names) {
    const folder = path.join(dir, name);
    const config = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8')) as {
      timeout?: number;
      permissions?: { openapi?: string[] };
      triggers?: TimerTrigger[];
    };
    const zip = zipper.zipFile(folder, { ignore: ['node_modules'] });
    const buffer = await zipper.zipToBuffer(zip);
    uploads.push({
      name,
      dir: folder,
      files: Object.entries(zip.files)
        .filter(([, file]) => !file.dir)
        .map(([file]) => file)
        .sort(),
      bundleBytes: fs.statSync(path.join(folder, 'index.js')).size,
      zipBytes: buffer.byteLength,
      timeout: config.timeout ?? null,
      openapi: config.permissions?.openapi ?? [],
      triggers: (config.triggers ?? []).filter((t) => t.type === 'timer'),
    });
  }
  return uploads;
}

type Schema = { collections: Record<string, { indexes?: Array<{ name: string; keys: Record<string, number>; unique?: boolean }> }> };
type Templates = { templates: Array<{ id: string; title?: string; keywords: Record<string, string> }> };

/**
 * What miniprogram-ci cannot do, as a checklist for the cloud console, generated from
 * cloud/schema.json, the functions' config.json, their declared variables (core/deploy/function-env.ts)
 * and cloud/subscribe-templates.json. The `doctor` job verifies it afterwards.
 */
export function deployChecklist(root: string, functions: FunctionUpload[], env: string): string[] {
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'cloud/schema.json'), 'utf8')) as Schema;
  const templates = JSON.parse(fs.readFileSync(path.join(root, 'cloud/subscribe-templates.json'), 'utf8')) as Templates;
  const lines: string[] = [];
  const item = (text: string) => lines.push(`  [ ] ${text}`);
  const keys = (spec: Record<string, number>) =>
    Object.entries(spec)
      .map(([field, order]) => `${field} ${order === -1 ? '降序' : '升序'}`)
      .join(', ');

  lines.push(`Database (云开发控制台 → ${env} → 数据库): ${Object.keys(schema.collections).length} collections`);
  for (const [name, spec] of Object.entries(schema.collections)) {
    const indexes = spec.indexes ?? [];
    item(
      `集合 ${name}${indexes.length === 0 ? '' : ` — 索引管理: ${indexes.map((i) => `${i.name} (${keys(i.keys)})${i.unique ? ' 唯一' : ''}`).join('; ')}`}`,
    );
  }

  lines.push(
    'Functions (云开发控制台 → 云函数): create each one first (新建, 运行环境 Node.js 16 or later): uploadFunction of miniprogram-ci 2.1.42 ' +
      'creates a missing function on Nodejs8.9, which cannot load these bundles, with a 3 s timeout and no variables. Then, in <name> → 配置:',
  );
  for (const fn of functions) {
    const settings = [`超时时间 ${fn.timeout ?? 3} 秒`];
    const vars = FUNCTION_ENV[fn.name] ?? [];
    const required = vars.filter((v) => v.required).map((v) => v.name);
    const optional = vars.filter((v) => !v.required).map((v) => v.name);
    if (required.length > 0) settings.push(`环境变量 ${required.join(', ')}`);
    if (optional.length > 0) settings.push(`optional ${optional.join(', ')}`);
    if (fn.openapi.length > 0) settings.push(`云调用权限 ${fn.openapi.join(', ')} (config.json, in the package: check it took effect)`);
    item(`${fn.name}: ${settings.join('; ')}`);
  }
  const described = new Map(Object.values(FUNCTION_ENV).flatMap((vars) => vars.map((v) => [v.name, v.what] as const)));
  lines.push('Variables (the same value in every function that lists it):');
  for (const [name, what] of described) item(`${name}: ${what}`);

  lines.push('公众号 and payments:');
  item(
    `HTTP 访问服务: path /mpGateway → function mpGateway; 公众号 服务器配置 URL https://${env}.service.tcloudbase.com/mpGateway, the Token of DUET_MP_TOKEN (and EncodingAESKey of DUET_MP_AES_KEY)`,
  );
  item("公众号 IP 白名单: the cloud functions' outbound addresses (or the 云开发 fixed IP), so access tokens can be fetched");
  item('微信支付: 云开发控制台 → 设置 → 其他设置 → 微信支付配置: bind the sub-merchant of DUET_PAY_SUB_MCH_ID');
  lines.push(
    `Subscription templates (微信公众平台 → 订阅消息 → 我的模板): ${templates.templates.length}, ids into cloud/subscribe-templates.json`,
  );
  for (const template of templates.templates) item(`${template.title ?? ''} ${template.id}: ${Object.keys(template.keywords).join(', ')}`);
  lines.push('Then verify: 云函数 → setupAdmin → 云端测试 {"action":"doctor"} — every check must say ok');
  return lines;
}
