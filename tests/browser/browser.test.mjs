// Headless-browser test of the page served by `verbatim serve`.
//
//   VERBATIM_URL=http://127.0.0.1:PORT/ node tests/browser/browser.test.mjs
//
// Run by crates/verbatim-server/tests/browser.rs, which builds the bank this expects: the
// example article (bbc) and its transcript, a second outlet reporting the same remark, a hostile document and a
// document with emoji before its quote. Drives Debian's chromium through playwright-core, checks
// the search, document, speaker and cluster views, that hostile text stays text, and that
// highlights land on the right words after astral characters. Screenshots go to
// target/browser/ (or $VERBATIM_SCREENSHOTS). Exits non-zero with a message on the first failure.

import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BASE = process.env.VERBATIM_URL;
const SHOTS = resolve(process.env.VERBATIM_SCREENSHOTS || join(here, '..', '..', 'target', 'browser'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const EXAMPLE_DOC = process.env.VERBATIM_EXAMPLE_DOC || 'obama-medvedev-open-mic';
const SECOND_DOC = process.env.VERBATIM_SECOND_DOC || 'guardian/obama open mic';
const TRANSCRIPT_DOC = process.env.VERBATIM_TRANSCRIPT_DOC || 'obama-medvedev-transcript';
const HOSTILE_DOC = process.env.VERBATIM_HOSTILE_DOC || 'hostile "doc" <1>/#?&x=%41';
const EMOJI_DOC = process.env.VERBATIM_EMOJI_DOC || 'emoji-doc';
const TIMEOUT = 15_000;

if (!BASE) {
  console.error('browser test: set VERBATIM_URL to the address of a running `verbatim serve`');
  process.exit(2);
}

const started = Date.now();
let checks = 0;
let step = 'start';
const consoleErrors = [];
// Error responses the current step provokes on purpose (Chromium logs each as a console error).
let allowedStatuses = [];

class Failure extends Error {}

function check(cond, message) {
  checks += 1;
  if (!cond) throw new Failure(message);
}

function eq(actual, expected, what) {
  check(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function log(msg) {
  console.log(`ok - ${msg}`);
}

async function apiJson(path) {
  const res = await fetch(new URL(path, BASE));
  const body = await res.json();
  if (!res.ok) throw new Failure(`API ${path} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

const profile = mkdtempSync(join(tmpdir(), 'verbatim-chromium-'));
mkdirSync(SHOTS, { recursive: true });
rmSync(join(SHOTS, 'failure.png'), { force: true }); // from an earlier failed run
let context;
let page;

async function shot(name, fullPage = true) {
  await page.mouse.move(0, 0); // no hover effects in the picture
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

async function go(hash) {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
}

/** Text of each highlighted span, keyed "quoteId part-index": a span cut by the boundaries
 *  of other quotes' spans is several marks (never nested in one another), joined in order. */
async function markTexts() {
  return page.evaluate(() => {
    const texts = {};
    for (const m of document.querySelectorAll('#doc-text mark')) {
      const key = `${m.getAttribute('data-quote')} ${m.getAttribute('data-span')}`;
      texts[key] = (texts[key] || '') + m.textContent;
    }
    return texts;
  });
}

/** Every span of every quote of a document is highlighted over exactly its text. */
async function checkHighlights(doc) {
  await page.waitForSelector('#doc-text', { timeout: TIMEOUT });
  const texts = await markTexts();
  let spans = 0;
  for (const q of doc.quotes) {
    for (const part of ['source', 'cue', 'content']) {
      (q[part] || []).forEach((s, k) => {
        spans += 1;
        const key = `${q.id} ${part}-${k}`;
        eq(texts[key], s.text, `document ${JSON.stringify(doc.id)}: highlighted ${part} ${k} of quote ${q.id}`);
      });
    }
  }
  const shown = await page.$eval('#doc-text', (n) => n.textContent);
  eq(shown, doc.text, `document ${JSON.stringify(doc.id)}: the text shown`);
  return spans;
}

async function pwned() {
  return page.evaluate(() => typeof window.__pwned);
}

async function run() {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    timeout: 60_000,
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  // The first page of a persistent context does not always take the context's emulation.
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (allowedStatuses.some((s) => text.includes(`status of ${s}`))) return;
    consoleErrors.push(`[${step}] ${text}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`[${step}] uncaught: ${err.message}`));

  // -- The page loads: header stats, the latest quotes, no errors.
  step = 'load';
  const stats = await apiJson('/api/stats');
  const res = await page.goto(BASE, { waitUntil: 'load' });
  eq(res.status(), 200, 'GET / status');
  const csp = res.headers()['content-security-policy'] || '';
  check(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), `GET / has a strict CSP, got ${JSON.stringify(csp)}`);
  await page.waitForSelector('.hits .hit');
  await page.waitForFunction(() => /document/.test(document.getElementById('stats').textContent));
  const statsText = await page.textContent('#stats');
  check(statsText.includes(`${stats.quotes} quotes`), `header shows the bank's ${stats.quotes} quotes, got ${JSON.stringify(statsText)}`);
  check((await page.$$('.top-speakers li')).length > 0, 'the most quoted speakers are listed');
  const unlabelled = await page.$$eval('input, select, textarea', (ns) => ns.filter((n) => !n.labels || n.labels.length === 0).map((n) => n.outerHTML));
  eq(JSON.stringify(unlabelled), '[]', 'form fields without a label');
  await shot('01-home');
  log(`page loads with stats (${statsText.trim()}) and the latest quotes`);

  // -- "More" pages through the latest quotes with next_cursor until the last page.
  step = 'more';
  const firstPage = await apiJson('/api/quotes?limit=20');
  check(firstPage.next_cursor, `the bank has more than 20 quotes (${stats.quotes}): add the briefing document`);
  {
    eq(await page.locator('.hits .hit').count(), 20, 'a page of 20 latest quotes');
    const more = page.locator('.more button');
    let clicks = 0;
    while ((await more.isVisible()) && clicks < 50) {
      const before = await page.locator('.hits .hit').count();
      await more.click();
      await page.waitForFunction((n) => document.querySelectorAll('.hits .hit').length > n, before);
      clicks += 1;
    }
    const ids = await page.$$eval('.hits .hit', (ns) => ns.map((n) => n.getAttribute('data-quote')));
    eq(ids.length, stats.quotes, 'every quote of the bank after the last "More"');
    eq(new Set(ids).size, ids.length, 'no quote twice across pages');
    check(await more.isHidden(), '"More" disappears on the last page');
    log(`"More" pages through all ${ids.length} quotes in ${clicks + 1} pages`);
  }

  // -- Search for a word of the example.
  step = 'search';
  await page.fill('#f-q', 'flexibility');
  await page.press('#f-q', 'Enter');
  await page.waitForFunction(() => window.location.hash === '#/?q=flexibility');
  await page.waitForSelector('.results h2:text("Results")');
  await page.waitForSelector('.hits .hit');
  const hitTexts = await page.$$eval('.hits .hit .hit-text', (ns) => ns.map((n) => n.textContent));
  check(hitTexts.length > 0, 'a search for "flexibility" shows hits');
  for (const t of hitTexts) check(/flexibility/i.test(t), `every hit contains "flexibility": ${JSON.stringify(t)}`);
  const api = await apiJson('/api/quotes?q=flexibility');
  eq(hitTexts.length, api.hits.length, 'hits shown for "flexibility" (as many as the API)');
  const hitVerdicts = await page.$$eval('.hits .hit .verdict', (ns) => ns.map((n) => n.textContent));
  eq(JSON.stringify(hitVerdicts), JSON.stringify(api.hits.filter((h) => h.verdict).map((h) => h.verdict)), 'a verdict badge on each verified hit');
  check(hitVerdicts.includes('verbatim'), 'the example\'s flexibility hit is verbatim');
  await shot('02-search');
  log(`search "flexibility": ${hitTexts.length} hits`);

  // Filters live in the hash: a search by outlet and order is linkable.
  await go('#/?q=flexibility&outlet=bbc&order=relevance');
  await page.waitForFunction(() => document.getElementById('f-outlet').value === 'bbc');
  await page.waitForSelector('.hits .hit');
  eq(await page.inputValue('#f-order'), 'relevance', 'order read from the hash');
  const outlets = await page.$$eval('.hits .hit .outlet', (ns) => ns.map((n) => n.textContent));
  check(outlets.length > 0 && outlets.every((o) => o === 'bbc'), `outlet filter keeps bbc only: ${JSON.stringify(outlets)}`);
  await page.goBack();
  await page.waitForFunction(() => window.location.hash === '#/?q=flexibility' && document.getElementById('f-outlet').value === '');
  log('search state lives in the hash; back restores it');

  // -- The example document from its hit: every span highlighted over its exact text.
  step = 'document';
  const exampleLink = `.hits a[href="#/document/${encodeURIComponent(EXAMPLE_DOC)}"]`;
  await page.waitForSelector(exampleLink);
  await page.click(exampleLink);
  await page.waitForSelector('#doc-text mark.content');
  const doc = await apiJson(`/api/documents/${encodeURIComponent(EXAMPLE_DOC)}`);
  check(doc.quotes.length >= 3, `the example has quotes (${doc.quotes.length})`);
  const spans = await checkHighlights(doc);
  for (const cls of ['source', 'cue', 'content']) {
    check((await page.$$(`#doc-text mark.${cls}`)).length > 0, `mark.${cls} elements in the example`);
  }
  const flex = doc.quotes.find((q) => (q.content || []).some((s) => s.text.includes('After my election I have more flexibility')));
  check(flex, 'the API has the quote "After my election I have more flexibility"');
  const flexContent = await page.$$eval(`#doc-text mark.content[data-quote="${flex.id}"]`, (ns) => ns.map((n) => n.textContent).join(''));
  check(flexContent.includes('After my election I have more flexibility'), `mark.content holds the remark, got ${JSON.stringify(flexContent)}`);
  const flexSource = await page.$$eval(`#doc-text mark.source[data-quote="${flex.id}"]`, (ns) => ns.map((n) => n.textContent).join(''));
  eq(flexSource, 'Mr Obama', 'mark.source of the remark');
  const flexCue = await page.$$eval(`#doc-text mark.cue[data-quote="${flex.id}"]`, (ns) => ns.map((n) => n.textContent).join(''));
  check(/said/.test(flexCue), `mark.cue of the remark says "said", got ${JSON.stringify(flexCue)}`);
  eq(await page.locator('.quote-item').count(), doc.quotes.length, 'quotes listed beside the text');
  await shot('03-document');
  // Hovering a quote in the list highlights its spans; the button pins them.
  const item = page.locator(`.quote-item[data-quote="${flex.id}"]`);
  await item.hover();
  const active = await page.$$eval('#doc-text mark.is-active', (ns) => [...new Set(ns.map((n) => n.getAttribute('data-quote')))]);
  eq(JSON.stringify(active), JSON.stringify([String(flex.id)]), 'hovering a quote highlights its spans only');
  await item.locator('button.show-in-text').click();
  eq(await item.locator('button.show-in-text').getAttribute('aria-pressed'), 'true', 'Show in text pins the quote');
  await page.mouse.move(0, 0);
  check((await page.$$(`#doc-text mark.is-active[data-quote="${flex.id}"]`)).length > 0, 'a pinned quote stays highlighted');
  const listed = await item.textContent();
  check(listed.includes('Dmitry Medvedev') && listed.includes('overheard'), `the quote's addressee and setting are listed: ${JSON.stringify(listed)}`);
  await shot('04-document-pinned', false);
  // Verifications against transcripts, when the bank has them: a verdict and a styled diff each.
  const verifications = doc.quotes.flatMap((q) => q.verifications || []);
  eq(await page.locator('.verification').count(), verifications.length, 'verifications listed');
  if (verifications.length) {
    eq(await page.locator('.verification .verdict').count(), verifications.length, 'a verdict badge per verification');
    const dels = verifications.filter((v) => typeof v.diff === 'string' && v.diff.includes('[-')).length;
    check(!dels || (await page.locator('.verification .diff del').count()) > 0, 'removed words of a diff are marked <del>');
  }
  // The remark is in the transcript word for word: a verbatim verdict linking to it.
  const flexItem = page.locator(`.quote-item[data-quote="${flex.id}"] .verification`).first();
  eq(await flexItem.locator('.verdict').textContent(), 'verbatim', 'the flexibility quote is verbatim in the transcript');
  check(await flexItem.locator(`a[href="#/document/${encodeURIComponent(TRANSCRIPT_DOC)}"]`).count() === 1, 'the verification links to the transcript');
  log(`example document: ${spans} spans highlighted over their exact text; hover and pin work`);

  // -- The transcript, from the verification's link: it says it is one, and each turn lists
  // the articles that reported it.
  step = 'transcript';
  await flexItem.locator(`a[href="#/document/${encodeURIComponent(TRANSCRIPT_DOC)}"]`).click();
  await page.waitForSelector('.doc-kind');
  eq(await page.locator('.doc-kind').textContent(), 'Transcript', 'the transcript says it is one');
  const transcript = await apiJson(`/api/documents/${encodeURIComponent(TRANSCRIPT_DOC)}`);
  const reports = transcript.quotes.flatMap((q) => q.reported_by || []);
  check(reports.some((r) => r.document_id === EXAMPLE_DOC), 'the API lists the example among the reports of a turn');
  eq(await page.locator('.reported-by .report').count(), reports.length, 'reports listed under their turns');
  const flexTurn = page.locator('.quote-item', { hasText: /more flexibility/ }).first();
  check(/Reported by/.test(await flexTurn.textContent()), 'the flexibility turn says "Reported by"');
  const back = flexTurn.locator(`.report a[href="#/document/${encodeURIComponent(EXAMPLE_DOC)}"]`);
  check((await back.count()) > 0, 'the report links back to the example');
  const verdicts = await flexTurn.locator(`.report:has(a[href="#/document/${encodeURIComponent(EXAMPLE_DOC)}"]) .verdict`).allTextContents();
  check(verdicts.includes('verbatim'), `the example's verbatim verdict beside its report: ${JSON.stringify(verdicts)}`);
  await shot('04b-transcript');
  log(`transcript: marked as one; ${reports.length} reports listed under their turns`);
  await page.goBack();
  await page.waitForSelector(`.quote-item[data-quote="${flex.id}"]`);

  // -- The speaker page, from the quote's speaker link.
  step = 'speaker';
  const speakerId = flex.speaker && flex.speaker.id;
  check(speakerId !== undefined, 'the remark has a linked speaker');
  await item.locator(`a[href="#/speaker/${speakerId}"]`).click();
  await page.waitForSelector('.view-speaker h1');
  const speaker = await apiJson(`/api/speakers/${speakerId}`);
  eq((await page.textContent('.view-speaker h1')).trim(), speaker.name, 'speaker page heading');
  check((await page.$$('svg.bars rect.bar')).length > 0, 'the speaker page draws quotes over time');
  check((await page.$$('.hbars li')).length === Math.min(speaker.by_outlet.length, 15), 'the speaker page lists outlets');
  await page.waitForSelector('.speaker-quotes .hit');
  const speakerHits = await page.$$eval('.speaker-quotes .hit .speaker a', (ns) => ns.map((n) => n.textContent));
  check(speakerHits.length > 0 && speakerHits.every((n) => n === speaker.name), `the latest quotes are the speaker's: ${JSON.stringify(speakerHits)}`);
  await shot('05-speaker');
  log(`speaker page: ${speaker.name}, ${speaker.quote_count} quotes`);

  // -- A remark reported by two outlets.
  step = 'cluster';
  const clustered = api.hits.find((h) => h.cluster_size > 1);
  check(clustered, 'the flexibility remark is in a cluster of more than one quote (two outlets reported it)');
  await go('#/?q=flexibility');
  const clusterLink = `.hits a[href="#/cluster/${clustered.cluster_id}"]`;
  await page.waitForSelector(clusterLink);
  await page.click(clusterLink);
  await page.waitForSelector('.view-cluster .members .member');
  const cluster = await apiJson(`/api/clusters/${clustered.cluster_id}`);
  const members = await page.$$eval('.members .member .member-text', (ns) => ns.map((n) => n.textContent));
  eq(JSON.stringify(members), JSON.stringify(cluster.members.map((m) => m.text)), 'each report of the remark, with its exact wording');
  check(members.length > 1, 'the cluster page shows more than one report');
  const outletRows = await page.$$eval('.outlets-table tbody th', (ns) => ns.map((n) => n.textContent));
  eq(JSON.stringify(outletRows), JSON.stringify(cluster.outlets.map((o) => o.outlet || 'no outlet')), 'outlets of the remark');
  await shot('06-cluster');
  // The second outlet's report, by its link (an id with "/" and a space).
  const secondLink = `.members a[href="#/document/${encodeURIComponent(SECOND_DOC)}"]`;
  await page.click(secondLink);
  await page.waitForSelector('#doc-text mark.content');
  const second = await apiJson(`/api/documents/${encodeURIComponent(SECOND_DOC)}`);
  await checkHighlights(second);
  log(`cluster page: ${members.length} reports in ${outletRows.join(', ')}; the second report's document opens from it`);

  // -- Hostile text stays text.
  step = 'hostile';
  await go(`#/document/${encodeURIComponent(HOSTILE_DOC)}`);
  await page.waitForSelector('.view-document h1');
  const hostile = await apiJson(`/api/documents/${encodeURIComponent(HOSTILE_DOC)}`);
  check(hostile.quotes.length > 0, 'the hostile document has quotes');
  await checkHighlights(hostile);
  const h1 = await page.textContent('.view-document h1');
  eq(h1, hostile.title, 'a hostile title is shown as text');
  const marked = await page.$$eval('#doc-text mark.content', (ns) => ns.map((n) => n.textContent).join('\n'));
  check(marked.includes('<script>window.__pwned=1</script>'), `the <script> inside a quote is highlighted as text: ${JSON.stringify(marked)}`);
  check(marked.includes('onerror="window.__pwned=1">'), `the "><img onerror> inside a quote is highlighted as text: ${JSON.stringify(marked)}`);
  eq(await page.locator('main img, main script, main iframe, main object').count(), 0, 'no element made from hostile text');
  eq(await page.locator('a[href^="javascript:" i]').count(), 0, 'no javascript: link');
  check((await page.textContent('.view-document .lede')).includes(hostile.url), 'a non-http URL is shown as text');
  await go(`#/?q=pwned`);
  await page.waitForSelector('.hits .hit');
  eq(await page.locator('main img, main script').count(), 0, 'no element made from hostile hits');
  await go(`#/?q=${encodeURIComponent(hostile.quotes[0].content[0].text.replace(/[^A-Za-z ]+/g, ' ').trim().split(/\s+/).slice(-2).join(' '))}`);
  await page.waitForSelector('.results h2:text("Results")');
  await go(`#/document/${encodeURIComponent(HOSTILE_DOC)}`);
  await page.waitForSelector('#doc-text mark');
  await page.waitForTimeout(200); // an onerror would have fired by now
  eq(await pwned(), 'undefined', 'window.__pwned after showing the hostile document');
  await shot('07-hostile');
  log('hostile document and hits render as text; window.__pwned stays undefined');

  // -- Emoji before a quote: offsets are code points, JavaScript counts UTF-16 units.
  step = 'emoji';
  await go(`#/document/${encodeURIComponent(EMOJI_DOC)}`);
  await page.waitForSelector('#doc-text mark.content');
  const emoji = await apiJson(`/api/documents/${encodeURIComponent(EMOJI_DOC)}`);
  check([...emoji.text].length < emoji.text.length, 'the emoji document has astral characters');
  await checkHighlights(emoji);
  const content = await page.$$eval('#doc-text mark.content', (ns) => ns.map((n) => n.textContent));
  check(content.includes('"We will rebuild the bridge by spring,"'), `the content after the emoji is highlighted exactly: ${JSON.stringify(content)}`);
  const sources = await page.$$eval('#doc-text mark.source', (ns) => ns.map((n) => n.textContent));
  check(sources.includes('Ann Smith'), `the source after the emoji is highlighted exactly: ${JSON.stringify(sources)}`);
  await shot('08-emoji');
  log('highlights after emoji land on the right words');

  // -- Errors from the API are shown.
  step = 'errors';
  allowedStatuses = [400, 404];
  await go('#/document/no-such-document');
  await page.waitForSelector('.notice.error');
  const err404 = await page.textContent('.notice.error');
  check(err404.length > 10, `a missing document shows the server's message: ${JSON.stringify(err404)}`);
  await go('#/?since=yesterday');
  await page.waitForSelector('.results .notice.error');
  const err400 = await page.textContent('.results .notice.error');
  check(/yesterday/.test(err400), `a bad date shows the server's message: ${JSON.stringify(err400)}`);
  await go('#/?q=zzzzqqqxxy');
  await page.waitForSelector('.results .notice.empty');
  await go('#/nowhere');
  await page.waitForSelector('.notice.error');
  await shot('09-error');
  allowedStatuses = [];
  log('errors and empty results are shown');

  // -- Phone width: no horizontal scrolling.
  step = 'phone';
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [hash, ready, name] of [
    ['#/?q=flexibility', '.hits .hit', '10-phone-search'],
    [`#/document/${encodeURIComponent(EXAMPLE_DOC)}`, '#doc-text mark', '11-phone-document'],
    [`#/speaker/${speakerId}`, '.speaker-quotes .hit', '12-phone-speaker'],
  ]) {
    await go(hash);
    await page.waitForSelector(ready);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `${hash} fits a 390px-wide phone (overflows by ${overflow}px)`);
    await shot(name, false);
  }
  log('readable at phone width');

  step = 'end';
  const violations = await page.evaluate(() => window.__csp);
  check(violations.length === 0, `CSP violations: ${violations.join('; ')}`);
  check(consoleErrors.length === 0, `console errors:\n  ${consoleErrors.join('\n  ')}`);
  eq(await pwned(), 'undefined', 'window.__pwned at the end');
}

let code = 0;
try {
  await run();
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`browser test: ${checks} checks passed in ${secs} s; screenshots in ${SHOTS}`);
} catch (e) {
  code = 1;
  console.error(`\nBROWSER TEST FAILED at step "${step}": ${e instanceof Failure ? e.message : e.stack || e}`);
  if (consoleErrors.length) console.error(`console errors so far:\n  ${consoleErrors.join('\n  ')}`);
  if (page) {
    try {
      await page.screenshot({ path: join(SHOTS, 'failure.png'), fullPage: true });
      console.error(`screenshot: ${join(SHOTS, 'failure.png')} (page ${page.url()})`);
    } catch {
      // the browser is gone
    }
  }
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
