/**
 * npm run admin -- <action> [json | @file.json | @file.csv] [--out DIR] [--image FILE]… [--csv FILE] [--chart FILE.svg]
 *
 * Runs an `admin` console job on the local cloud (DUET_EMULATOR_URL, default
 * http://127.0.0.1:8790) as the cloud console would: the function invoked with no user. Batch jobs
 * are re-invoked while they report `remaining > 0`; code images are downloaded into --out
 * (default ./article-codes); `--image FILE` (createProduct) uploads a picture to the local cloud's
 * storage and adds its file id to the product's images; `--csv FILE` (shipOrder) ships the orders of a
 * CSV in chunks, resumably; `--csv FILE` (segmentMembers) writes every page of a segment to a CSV.
 * Exit code 1 on any failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ControlAnswer, createCloudClient, type InvokeAnswer } from '../emulator/src/client';
import { consoleFunctionOf } from '../core/contracts/console';
import { MAX_SHIPMENTS_PER_CALL } from '../core/contracts/order-admin';
import { isAdminJob, JOB_DOCS, jobUsage, jobsOverview } from './lib/admin-jobs';
import { type FunnelAnswer, funnelLines, writeFunnelFiles } from './lib/funnel-cli';
import { formatYuan } from './lib/funnel-report';
import { segmentCsvHead, segmentCsvRows } from './lib/segment-csv';
import { readShipmentsCsv } from './lib/shipments-csv';
import { uploadImages } from './lib/upload-image';

const MAX_BATCH_RUNS = 10_000;

class CliError extends Error {}

function parseArgs(argv: string[]): { action?: string; input?: string; out: string; images: string[]; csv?: string; chart?: string } {
  let out = path.resolve('article-codes');
  const rest: string[] = [];
  const images: string[] = [];
  let csv: string | undefined;
  let chart: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--chart') {
      const file = argv[++i];
      if (!file) throw new CliError('--chart needs an SVG file');
      chart = file;
    } else if (arg.startsWith('--chart=')) chart = arg.slice('--chart='.length);
    else if (arg === '--csv') {
      const file = argv[++i];
      if (!file) throw new CliError('--csv needs a CSV file');
      csv = file;
    } else if (arg.startsWith('--csv=')) csv = arg.slice('--csv='.length);
    else if (arg === '--image') {
      const file = argv[++i];
      if (!file) throw new CliError('--image needs an image file');
      images.push(file);
    } else if (arg.startsWith('--image=')) images.push(arg.slice('--image='.length));
    else if (arg === '--out') {
      const dir = argv[++i];
      if (!dir) throw new CliError('--out needs a directory');
      out = path.resolve(dir);
    } else if (arg.startsWith('--out=')) out = path.resolve(arg.slice('--out='.length));
    else rest.push(arg);
  }
  if (rest.length > 2) throw new CliError(`too many arguments: ${rest.slice(2).join(' ')} (quote the JSON)`);
  return { action: rest[0], input: rest[1], out, images, csv, chart };
}

function readParams(action: string, input: string | undefined): Record<string, unknown> {
  if (input === undefined) return {};
  if (input.startsWith('@')) {
    const file = path.resolve(input.slice(1));
    if (!fs.existsSync(file)) throw new CliError(`no such file: ${file}`);
    const text = fs.readFileSync(file, 'utf8');
    if (file.toLowerCase().endsWith('.csv')) {
      if (action === 'shipOrder') throw new CliError(`ship the orders of a CSV with --csv ${input.slice(1)}`);
      if (action !== 'createArticleCodes')
        throw new CliError('a CSV file is input for createArticleCodes (@file.csv) and shipOrder (--csv FILE) only');
      return { csv: text };
    }
    return parseJson(text, file);
  }
  return parseJson(input, 'the argument');
}

function parseJson(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`${where} must be a JSON object`);
  const { action: _ignored, ...params } = value as Record<string, unknown>;
  return params;
}

type Envelope = { ok: true; data: any } | { ok: false; code: string; message: string; detail?: string; requestId?: string };

async function invoke(baseUrl: string, event: Record<string, unknown>): Promise<Envelope> {
  let answer: ControlAnswer<InvokeAnswer | undefined>;
  try {
    // No user: the console's own identity, as 云端测试 invokes a function.
    const fn = consoleFunctionOf(String(event.action)) ?? 'admin';
    answer = await createCloudClient(baseUrl).control('POST', `/_emu/functions/${fn}/invoke`, { event, source: 'wx_cloudconsole' });
  } catch (error) {
    throw new CliError(
      `cannot reach the local cloud at ${baseUrl} (${(error as Error).message}); start it with npm run dev or npm run emulator`,
    );
  }
  if (answer.status === 404) throw new CliError(`the local cloud at ${baseUrl} lacks the console functions (run npm run build:functions)`);
  if (answer.status !== 200 || !answer.body) {
    throw new CliError(`the local cloud answered HTTP ${answer.status}: ${JSON.stringify(answer.body ?? '').slice(0, 300)}`);
  }
  if ('error' in answer.body)
    throw new CliError(
      `the admin function failed on the platform: ${answer.body.error.errCode} ${answer.body.error.errMsg.split('\n')[0]}`,
    );
  return answer.body.result as Envelope;
}

async function download(url: string, file: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new CliError(`downloading ${url} failed: HTTP ${response.status}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
}

/** The stored file's own name (`article-codes/<safe key>.png`): already safe on disk. */
function fileNameOf(fileID: string): string {
  return fileID.split('/').pop() as string;
}

function printFields(data: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(data).map((k) => k.length));
  for (const [key, value] of Object.entries(data)) {
    const shown = value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
    console.log(`${key.padEnd(width)}  ${shown}`);
  }
}

function printTable(rows: Array<Record<string, unknown>>, columns: string[]): void {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(line(columns));
  for (const row of rows) console.log(line(columns.map((c) => String(row[c] ?? ''))));
}

function fail(result: Extract<Envelope, { ok: false }>): never {
  throw new CliError(`${result.code}: ${result.detail ?? result.message}${result.requestId ? ` (request ${result.requestId})` : ''}`);
}

/**
 * A resumable job run again while it reports `remaining`, printing `done/total` each time; stops
 * when a run makes no progress (the same command resumes it later).
 */
async function runUntilDone(baseUrl: string, event: Record<string, unknown>, unit: string): Promise<Envelope> {
  let result = await invoke(baseUrl, event);
  for (let runs = 1; result.ok && result.data.remaining > 0 && !result.data.stoppedBy; runs += 1) {
    console.log(`${result.data.done}/${result.data.total} ${unit}`);
    if (runs >= MAX_BATCH_RUNS) throw new CliError(`the job is not finishing after ${runs} runs; run the same command again to resume`);
    const before = result.data.done;
    result = await invoke(baseUrl, event);
    if (result.ok && result.data.remaining > 0 && !result.data.stoppedBy && result.data.done <= before) {
      const job = result.data.jobId ? ` (job ${result.data.jobId})` : '';
      throw new CliError(`no progress after ${before} ${unit}; run the same command again to resume${job}`);
    }
  }
  return result;
}

/** What an operator does about a grant that stopped early. */
const STOPPED_BY = {
  sold_out: 'sold out: add stock (updateCouponTemplate) and run the same command again',
  paused: 'the template is paused: resume it and run the same command again',
  ended: 'the template has ended',
};

function emulatorUrl(): string {
  return (process.env.DUET_EMULATOR_URL ?? `http://127.0.0.1:${process.env.DUET_EMULATOR_PORT ?? 8790}`).replace(/\/+$/, '');
}

type ShipOutcome = 'shipped' | 'already_shipped' | 'refused';

/**
 * `shipOrder --csv FILE`: every row checked here first (a bad row is reported with its line and
 * skipped, the others go on), the good ones sent in chunks of 200 with `done/total` after each.
 * Resumable: run the same file again and the rows shipped before answer `already_shipped` (the
 * server compares the shipment, so nothing changes). Exit code 1 when any row was not shipped.
 */
async function shipCsv(baseUrl: string, file: string): Promise<void> {
  const full = path.resolve(file);
  if (!fs.existsSync(full)) throw new CliError(`no such file: ${full}`);
  const { rows, problems } = readShipmentsCsv(fs.readFileSync(full, 'utf8'));
  const report: Array<{ line: number; orderId: string; result: string; reason: string }> = problems.map((p) => ({
    ...p,
    orderId: '',
    result: 'invalid',
  }));
  const counts: Record<ShipOutcome, number> = { shipped: 0, already_shipped: 0, refused: 0 };
  for (let start = 0; start < rows.length; start += MAX_SHIPMENTS_PER_CALL) {
    const chunk = rows.slice(start, start + MAX_SHIPMENTS_PER_CALL);
    const shipments = chunk.map(({ orderId, carrier, trackingNo }) => ({ orderId, carrier, trackingNo }));
    let result: Envelope;
    try {
      result = await invoke(baseUrl, { action: 'shipOrder', shipments });
    } catch (error) {
      throw new CliError(`${stoppedAt(chunk[0].line, start, rows.length)}: ${(error as Error).message}`);
    }
    if (!result.ok)
      throw new CliError(`${stoppedAt(chunk[0].line, start, rows.length)}: ${result.code}: ${result.detail ?? result.message}`);
    const results = result.data.results as Array<{ orderId: string; outcome: ShipOutcome; reason?: string }>;
    results.forEach((answer, i) => {
      counts[answer.outcome] += 1;
      if (answer.outcome === 'refused')
        report.push({ line: chunk[i].line, orderId: answer.orderId, result: 'refused', reason: answer.reason ?? '' });
    });
    console.log(`${start + chunk.length}/${rows.length} rows`);
  }
  report.sort((a, b) => a.line - b.line);
  if (report.length > 0) printTable(report, ['line', 'orderId', 'result', 'reason']);
  console.log(
    `${rows.length + problems.length} rows: shipped ${counts.shipped}, already shipped ${counts.already_shipped}, ` +
      `refused ${counts.refused}, invalid ${problems.length}`,
  );
  if (report.length > 0) {
    throw new CliError(
      `${report.length} row(s) not shipped (listed above): fix them and run the same command again; shipped rows answer already shipped`,
    );
  }
}

/** Pages one request answers at most (the contract's limit). */
const SEGMENT_PAGE = 1000;

/**
 * `segmentMembers --csv FILE`: every page of the segment (from `cursor` when given), written to a
 * file beside FILE and moved onto it when the last page is in, so a failure never leaves a partial
 * list under the name asked for.
 */
async function segmentCsv(baseUrl: string, params: Record<string, unknown>, file: string): Promise<void> {
  const full = path.resolve(file);
  const partial = `${full}.part`;
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(partial, segmentCsvHead());
  let cursor = params.cursor as string | undefined;
  let written = 0;
  try {
    for (let pages = 1; ; pages += 1) {
      const result = await invoke(baseUrl, { action: 'segmentMembers', limit: SEGMENT_PAGE, ...params, ...(cursor ? { cursor } : {}) });
      if (!result.ok) fail(result);
      fs.appendFileSync(partial, segmentCsvRows(result.data.members));
      written += result.data.members.length;
      cursor = result.data.cursor ?? undefined;
      if (!cursor) break;
      console.log(`${written} members (page ${pages})`);
    }
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  fs.renameSync(partial, full);
  console.log(`${written} members of ${String(params.segment)} written to ${path.relative(process.cwd(), full) || full}`);
}

function stoppedAt(line: number, done: number, total: number): string {
  return `stopped at line ${line} after ${done}/${total} rows (run the same command again to resume)`;
}

async function run(argv: string[]): Promise<void> {
  const { action, input, out, images, csv, chart } = parseArgs(argv);
  if (!action || action === 'help' || action === '--help' || action === '-h') {
    if (input && !isAdminJob(input)) throw new CliError(`unknown job ${JSON.stringify(input)}; npm run admin -- help lists them`);
    console.log(input && isAdminJob(input) ? jobUsage(input) : jobsOverview());
    return;
  }
  if (!isAdminJob(action)) throw new CliError(`unknown job ${JSON.stringify(action)}; npm run admin -- help lists them`);
  if (chart !== undefined && action !== 'funnel') throw new CliError('--chart is for funnel only');
  if (action === 'funnel') {
    const result = await invoke(emulatorUrl(), { action, ...readParams(action, input) });
    if (!result.ok) fail(result);
    for (const line of funnelLines(result.data as FunnelAnswer)) console.log(line);
    for (const file of writeFunnelFiles(result.data as FunnelAnswer, { csv, chart })) console.log(`wrote ${file}`);
    return;
  }
  if (action === 'snapshotFunnel') {
    const event = { action, ...readParams(action, input) };
    for (let runs = 1; ; runs += 1) {
      const result = await invoke(emulatorUrl(), event);
      if (!result.ok) fail(result);
      const data = result.data;
      console.log(`${data.done.length}/${data.days.length} days  (${data.events} events this run${data.resumed ? ', resumed' : ''})`);
      if (!data.more) break;
      if (runs >= MAX_BATCH_RUNS)
        throw new CliError(`the snapshot is not finishing after ${runs} runs; run the same command again to resume`);
    }
    return;
  }
  if (csv !== undefined && action === 'segmentMembers') {
    if (input === undefined) throw new CliError(`segmentMembers --csv needs the segment: ${JOB_DOCS.segmentMembers.example}`);
    await segmentCsv(emulatorUrl(), readParams(action, input), csv);
    return;
  }
  if (csv !== undefined) {
    if (action !== 'shipOrder')
      throw new CliError('--csv is for shipOrder, segmentMembers and funnel only (createArticleCodes takes @file.csv)');
    if (input !== undefined) throw new CliError('shipOrder takes either --csv FILE or a JSON event, not both');
    await shipCsv(emulatorUrl(), csv);
    return;
  }
  if (input === undefined && JOB_DOCS[action].needsInput) {
    // Nothing to run: say what the job takes instead of sending an empty event.
    console.error(jobUsage(action));
    process.exitCode = 1;
    return;
  }
  const baseUrl = emulatorUrl();
  const event: Record<string, unknown> = { action, ...readParams(action, input) };
  if (images.length > 0) {
    if (action !== 'createProduct') throw new CliError('--image is for createProduct only');
    const product = event.product;
    if (!product || typeof product !== 'object' || Array.isArray(product)) throw new CliError('createProduct needs a product object');
    const listed = (product as Record<string, unknown>).images ?? [];
    if (!Array.isArray(listed)) throw new CliError('product.images must be a list of cloud file ids');
    let uploaded: string[];
    try {
      uploaded = await uploadImages(baseUrl, images);
    } catch (error) {
      throw new CliError(`uploading the images failed: ${(error as Error).message}`);
    }
    (product as Record<string, unknown>).images = [...new Set([...listed, ...uploaded])];
  }

  if (action === 'createArticleCodes') {
    const result = await runUntilDone(baseUrl, event, 'codes');
    if (!result.ok) fail(result);
    const data = result.data;
    console.log(`${data.done}/${data.total} codes  (created ${data.created}, existing ${data.existing}, job ${data.jobId})`);
    const rows = [];
    for (const row of data.results) {
      const file = path.join(out, fileNameOf(row.fileID));
      await download(row.tempFileURL, file);
      rows.push({ ...row, file: path.relative(process.cwd(), file) || file });
    }
    printTable(rows, ['line', 'scene', 'status', 'file']);
    return;
  }

  if (action === 'syncFollowers') {
    const result = await runUntilDone(baseUrl, event, 'followers');
    if (!result.ok) fail(result);
    const data = result.data;
    console.log(
      `${data.done}/${data.total} followers  (created ${data.created}, bound ${data.bound}, marked ${data.marked}, ` +
        `unchanged ${data.unchanged}, not following ${data.notFollowing}; finished ${data.finishedAt})`,
    );
    return;
  }

  if (action === 'grantCoupons') {
    const result = await runUntilDone(baseUrl, event, 'members');
    if (!result.ok) fail(result);
    const data = result.data;
    console.log(
      `${data.done}/${data.total} members  (granted ${data.granted}, already ${data.already}, unknown ${data.unknownMembers.length}` +
        `${data.stoppedBy ? `; stopped: ${STOPPED_BY[data.stoppedBy as keyof typeof STOPPED_BY]}` : ''})`,
    );
    if (data.unknownMembers.length > 0) console.log(`unknown member ids: ${data.unknownMembers.join(', ')}`);
    return;
  }

  if (action === 'broadcast') {
    const result = await runUntilDone(baseUrl, event, 'members');
    if (!result.ok) fail(result);
    const data = result.data;
    const channels = `subscription ${data.byChannel.subscribe}, 公众号 ${data.byChannel.mp}, unreachable ${data.byChannel.none}`;
    console.log(
      data.dryRun
        ? `dry run: ${data.done}/${data.total} members would get it — ${channels}; unknown ${data.unknownCount}`
        : `${data.done}/${data.total} members  (written ${data.written}, already ${data.already}, unknown ${data.unknownCount}; ${channels}; finished ${data.finishedAt})`,
    );
    if (data.unknownCount > 0) console.log(`unknown member ids: ${data.unknownMembers.join(', ')}`);
    return;
  }

  const result = await invoke(baseUrl, event);
  if (!result.ok) fail(result);
  const data = result.data as Record<string, any>;
  if (action === 'noticeReport') {
    const reasons = (bucket: Record<string, number>) =>
      Object.entries(bucket)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', ');
    printTable(
      data.rows.map((row: any) => ({ ...row, skipped: reasons(row.skipped), failed: reasons(row.failed) })),
      ['kind', 'channel', 'sent', 'fellBack', 'pending', 'skipped', 'failed'],
    );
    printFields({
      total: Object.entries(data.totals)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    });
    if (data.failures.length > 0) {
      console.log('\nlatest failures:');
      printTable(data.failures, ['at', 'kind', 'channel', 'reason', 'errcode', 'attempts', 'nextAt', 'meaning', 'noticeId']);
    }
    return;
  }
  if (action === 'createArticleCode') {
    const file = path.join(out, fileNameOf(data.fileID));
    await download(data.tempFileURL, file);
    printFields({ ...data, file: path.relative(process.cwd(), file) || file });
  } else if (action === 'createMpQrCode') {
    const file = path.join(out, `mp-${String(data.scene).replace(/[^A-Za-z0-9_-]/g, '_')}.png`);
    await download(data.imageUrl, file);
    printFields({ ...data, file: path.relative(process.cwd(), file) || file });
  } else if (action === 'seed') {
    printFields({
      articles: data.articles,
      campaigns: data.campaigns,
      keywordReplies: data.keywordReplies,
      couponTemplates: data.couponTemplates,
      products: data.products,
    });
    printTable(data.scenes, ['scene', 'created', 'fileID']);
  } else if (action === 'listProducts') {
    printTable(
      data.products.flatMap((p: any) =>
        p.skus.map((sku: any) => ({
          product: p.id,
          name: p.name,
          shelf: p.onShelf ? 'on' : 'off',
          sku: sku.id,
          specs: Object.values(sku.specs).join(' / '),
          price: (sku.price / 100).toFixed(2),
          stock: sku.stock,
        })),
      ),
      ['product', 'name', 'shelf', 'sku', 'specs', 'price', 'stock'],
    );
  } else if (action === 'createProduct' || action === 'updateProduct') {
    const { skus, ...product } = data.product;
    printFields({ ...product, ...(action === 'createProduct' ? { created: data.created } : {}) });
    printTable(
      skus.map((sku: any) => ({
        sku: sku.id,
        specs: Object.values(sku.specs).join(' / '),
        price: (sku.price / 100).toFixed(2),
        stock: sku.stock,
      })),
      ['sku', 'specs', 'price', 'stock'],
    );
  } else if (action === 'shipOrder') {
    printTable(data.results, ['orderId', 'outcome', 'reason']);
    const refused = data.results.filter((r: any) => r.outcome === 'refused').length;
    if (refused > 0) throw new CliError(`${refused} order(s) not shipped (listed above)`);
  } else if (action === 'listOrders') {
    printTable(
      data.orders.map((o: any) => ({
        order: o.id,
        member: o.memberId,
        state: o.state,
        payable: (o.payable / 100).toFixed(2),
        refunded: (o.refunded / 100).toFixed(2),
        lines: o.lines.map((l: any) => `${l.skuId}×${l.quantity}${l.refundedUnits ? ` (${l.refundedUnits} refunded)` : ''}`).join(', '),
        created: o.createdAt,
        shipment: o.shipment ? `${o.shipment.carrier} ${o.shipment.trackingNo}` : '',
      })),
      ['order', 'member', 'state', 'payable', 'refunded', 'lines', 'created', 'shipment'],
    );
  } else if (action === 'articleReport' || action === 'pullDatacube') {
    printFunnelJob(action, data);
  } else if (action === 'doctor') {
    printTable(
      data.checks.map((c: any) => ({ ...c, result: c.ok ? 'ok' : 'FAIL' })),
      ['area', 'item', 'result', 'detail'],
    );
    if (!data.ok)
      throw new CliError(`doctor: ${data.failed} of ${data.checks.length} checks failed (FAIL above): fix them and run it again`);
    console.log(`doctor: all ${data.checks.length} checks pass`);
  } else if (action === 'listStuckRefunds') {
    printTable(data.refunds, ['id', 'orderId', 'state', 'amount', 'attempts', 'lastError', 'createdAt', 'nextAttemptAt']);
  } else if (action === 'listPaymentIssues') {
    printTable(data.issues, ['id', 'kind', 'outTradeNo', 'totalFee', 'refundId', 'createdAt', 'detail']);
  } else if (action === 'refundOrder') {
    printFields({ ...data.refund, created: data.created });
  } else if (action === 'retryRefund') {
    printFields(data.refund);
  } else if (action === 'segments') {
    printTable(data.segments, ['segment', 'label', 'members']);
    const rfm = data.rfm;
    console.log(
      `RFM over ${rfm.payers} payer(s) of the last 365 days, cut at the averages: ` +
        `${rfm.recencyDays} days since the last payment, ${rfm.orders} orders, ¥${formatYuan(Math.round(rfm.fen))} (at ${data.at})`,
    );
  } else if (action === 'segmentMembers') {
    printTable(
      data.members.map((m: any) => ({ ...m, paid: formatYuan(m.paidFen) })),
      ['memberId', 'nickname', 'joinedAt', 'lastActiveDay', 'orders', 'paid', 'lastPaidAt'],
    );
    console.log(
      data.cursor ? `more: add "cursor":"${data.cursor}" for the next page, or --csv FILE for all` : `${data.members.length} member(s)`,
    );
  } else if (action === 'listCouponTemplates') {
    printTable(data.templates, ['id', 'name', 'campaign', 'status', 'terms', 'totalStock', 'stockLeft', 'claimed', 'used']);
  } else if (action === 'createCouponTemplate' || action === 'updateCouponTemplate') {
    printFields({ ...data.template, ...(action === 'createCouponTemplate' ? { created: data.created } : {}) });
  } else if (action === 'setKeywordReplies') {
    printTable(
      data.rules.map((r: any) => ({
        keyword: r.keyword,
        match: r.match,
        priority: r.priority,
        reply: r.reply.type === 'text' ? r.reply.content : `[card] ${r.reply.title} → ${r.reply.pagepath}`,
      })),
      ['keyword', 'match', 'priority', 'reply'],
    );
    console.log(`removed ${data.removed} stale rule(s)`);
  } else {
    printFields(data);
  }
}

/** A list of days in one line: the first and last when it is long. */
function daysLine(days: string[]): string {
  if (days.length === 0) return 'none';
  return days.length <= 3 ? days.join(', ') : `${days.length} days, ${days[0]} … ${days[days.length - 1]}`;
}

/** `articleReport` (its steps as a table) and `pullDatacube` (what was stored, what failed and why). */
function printFunnelJob(action: 'articleReport' | 'pullDatacube', data: Record<string, any>): void {
  if (action === 'pullDatacube') {
    printFields({
      days: daysLine(data.days),
      pulled: Object.entries(data.pulled)
        .map(([api, n]) => `${api} ${n}`)
        .join(', '),
      failed: data.failed.length,
    });
    if (data.failed.length > 0) printTable(data.failed, ['day', 'api', 'errcode', 'reason']);
    return;
  }
  printFields({ article: `${data.article}  ${data.title}`, period: `${data.period.from} – ${data.period.to}`, model: data.modelStatement });
  printTable(
    data.steps.map((s: any) => ({
      step: s.label,
      value: s.step === 'netFen' ? `¥${(s.value / 100).toFixed(2)}` : s.value,
      fromPrevious: s.fromPrevious,
    })),
    ['step', 'value', 'fromPrevious'],
  );
  printFields({ 'reads not pulled yet': daysLine(data.readsMissingDays), 'no snapshot yet': daysLine(data.missingDays) });
}

run(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error instanceof CliError ? `error: ${error.message}` : `error: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
