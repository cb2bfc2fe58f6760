// Browser test of the reading room in a real headless Chromium (Debian's, driven by
// playwright-core). Usage: node reading-room.mjs BASE_URL ARTIFACT_DIR
// Exits non-zero, naming the step, on any failed assertion.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const base = process.argv[2];
const artifacts = process.argv[3] || "target/browser-artifacts";
if (!base) {
  console.error("usage: node reading-room.mjs BASE_URL [ARTIFACT_DIR]");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });

let passed = 0;
let failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok   - ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL - ${name}: ${err && err.message ? err.message : err}`);
  }
}
function check(cond, message) {
  if (!cond) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  // playwright gives every launch a fresh, empty profile directory of its own (it refuses a
  // --user-data-dir argument), which is what a clean run needs.
});
const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
// Chromium reports what the Content-Security-Policy blocked (an inline style or script the
// pages should not have) as console errors.
const cspViolations = [];
page.on("console", (m) => {
  if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
});
page.setDefaultTimeout(10000);

try {
  await step("open frus1964-68v07/d45", async () => {
    const resp = await page.goto(`${base}/historicaldocuments/frus1964-68v07/d45`);
    check(resp && resp.status() === 200, `status ${resp && resp.status()}`);
    const h1 = await page.locator("article.doc h1").innerText();
    check(h1.includes("Telegram From the Embassy in France"), `heading ${h1}`);
    const h = resp.headers();
    check(h["x-content-type-options"] === "nosniff", "nosniff");
    check(h["x-frame-options"] === "DENY", "X-Frame-Options");
    check((h["content-security-policy"] || "").includes("script-src 'self'"), "CSP");
    check(["gzip", "br"].includes(h["content-encoding"]), `compressed (${h["content-encoding"]})`);
    const fill = await page.locator("article.doc").evaluate((el) => getComputedStyle(el).fontFamily);
    check(fill.length > 0, "the stylesheet applies under the CSP");
  });

  await step("click footnote 3 and see its text in a popover", async () => {
    await page.locator('a.fnref[data-note="d45fn3"]').click();
    const pop = page.locator(".popover");
    await pop.waitFor({ state: "visible" });
    const text = await pop.innerText();
    check(text.includes("See Document 40"), `popover text: ${text}`);
    check(!page.url().includes("#fn-"), "the popover opened in place (no jump to the note list)");
  });

  await step("screenshot of the document page", async () => {
    await page.screenshot({ path: join(artifacts, "document-d45.png"), fullPage: false });
  });

  await step("follow Document 40", async () => {
    await Promise.all([
      page.waitForURL(/\/historicaldocuments\/frus1964-68v07\/d40$/),
      page.locator(".popover a.xref", { hasText: "Document 40" }).click(),
    ]);
    const h1 = await page.locator("article.doc h1").innerText();
    check(h1.startsWith("40."), `heading ${h1}`);
  });

  await step("footnote marks still work without JavaScript (anchor to the note list)", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const p = await ctx.newPage();
    await p.goto(`${base}/historicaldocuments/frus1964-68v07/d45`);
    await p.locator('a.fnref[data-note="d45fn3"]').click();
    await p.waitForURL(/#fn-d45fn3$/);
    const note = await p.locator("#fn-d45fn3").innerText();
    check(note.includes("See Document 40"), `note: ${note}`);
    await ctx.close();
  });

  let facetCount = null;
  await step("run a search", async () => {
    await page.goto(`${base}/search`);
    await page.locator('form.search input[name="q"]').fill("bombing");
    await Promise.all([page.waitForURL(/\/search\?q=bombing/), page.locator("form.search button").click()]);
    const total = Number(await page.locator("#total").innerText());
    check(total > 0, `total ${total}`);
    check((await page.locator("ol.hits > li").count()) > 0, "hits listed");
    check((await page.locator("p.kwic mark").count()) > 0, "KWIC highlights");
  });

  await step("click a facet and see its count match the result total", async () => {
    // The second volume value, so the click really narrows the results.
    const links = page.locator('section[data-facet="volume"] a');
    const n = await links.count();
    check(n > 0, "volume facet present");
    const link = links.nth(Math.min(1, n - 1));
    facetCount = Number(await link.getAttribute("data-count"));
    const value = await link.getAttribute("data-value");
    await Promise.all([page.waitForURL(new RegExp(`volume=${value}`)), link.click()]);
    const total = Number(await page.locator("#total").innerText());
    check(total === facetCount, `facet said ${facetCount}, results say ${total}`);
    const active = page.locator('section[data-facet="volume"] a.active');
    check((await active.count()) === 1, "the chosen value is marked");
    const after = await page.locator('section[data-facet="volume"] a').count();
    check(after === n, `the volume facet still lists all ${n} values (lists ${after})`);
  });

  await step("click the chosen value again and the results widen back", async () => {
    const before = Number(await page.locator("#total").innerText());
    const active = page.locator('section[data-facet="volume"] a.active');
    await Promise.all([page.waitForURL((u) => !u.search.includes("volume=")), active.click()]);
    const total = Number(await page.locator("#total").innerText());
    check(total > before, `widened from ${before} to ${total}`);
    check((await page.locator('section[data-facet="volume"] a.active').count()) === 0, "no value marked");
  });

  await step("screenshot of the search page", async () => {
    await page.screenshot({ path: join(artifacts, "search.png"), fullPage: false });
  });

  await step("a search page past the last result is a 404 that says so", async () => {
    const resp = await page.goto(`${base}/search?q=bombing&page=500`);
    check(resp && resp.status() === 404, `status ${resp && resp.status()}`);
    const msg = await page.locator("#qerror").innerText();
    check(/there is no page 500 of this search: it has \d+ results? on \d+ pages?/.test(msg), `message: ${msg}`);
    await Promise.all([page.waitForURL(/page=\d+/), page.locator("#qerror a").click()]);
    check((await page.locator("ol.hits > li").count()) > 0, "the last page has hits");
  });

  await step("the timeline marks the chosen day (a class, not an inline style)", async () => {
    const resp = await page.goto(`${base}/timeline?at=1968-10-02`);
    check(resp && resp.status() === 200, `status ${resp && resp.status()}`);
    const bar = page.locator("svg.chart rect.bar.selected");
    check((await bar.count()) === 1, "one selected bar");
    const fill = await bar.evaluate((el) => getComputedStyle(el).fill);
    check(fill === "rgb(31, 78, 121)", `fill ${fill}`);
  });

  await step("a malformed query shows its error inline", async () => {
    const resp = await page.goto(`${base}/search?q=${encodeURIComponent('bombing "Paris')}`);
    check(resp && resp.status() === 400, `status ${resp && resp.status()}`);
    check(await page.locator("#qerror").isVisible(), "error box visible");
  });

  await step("no JavaScript errors", async () => {
    check(errors.length === 0, errors.join("; "));
  });

  await step("nothing blocked by the Content-Security-Policy", async () => {
    check(cspViolations.length === 0, cspViolations.join("; "));
  });
} finally {
  await browser.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
