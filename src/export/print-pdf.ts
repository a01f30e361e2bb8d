import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { escapeHtml } from "./html-page.js";

export interface PdfSettings {
  /** The system Chromium (findChromium). */
  chromium: string;
  /** The office's extra browser flags (NIRDESH_CHROMIUM_ARGS). */
  args: readonly string[];
  /** A line at the foot of every page, beside its number: the chain hash that pins the export. */
  footer: string;
}

/**
 * Prints an HTML file to an A4 PDF in the system Chromium, which shapes Bangla properly (PDF libraries
 * without a shaping engine print broken conjuncts). The page may load only files and data: URLs: nothing
 * an export holds can reach the network.
 */
export async function printPdf(htmlPath: string, settings: PdfSettings): Promise<Uint8Array> {
  const { launch } = await import("puppeteer-core");
  const browser = await launch({
    executablePath: settings.chromium,
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ["--no-sandbox", "--disable-setuid-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", ...settings.args],
  });
  try {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      const url = request.url();
      void (url.startsWith("file:") || url.startsWith("data:") ? request.continue() : request.abort("blockedbyclient"));
    });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: "load", timeout: 0 });
    await page.evaluateHandle("document.fonts.ready");
    return await page.pdf({
      format: "A4",
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      // The footer is drawn apart from the page, without its fonts: it holds only ASCII.
      footerTemplate: `<div style="width:100%;font-size:7px;font-family:monospace;color:#555;padding:0 14mm;display:flex;justify-content:space-between">
        <span>${escapeHtml(settings.footer)}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
      timeout: 0,
    });
  } finally {
    await browser.close();
  }
}

/** Prints HTML held in memory (a report) through a private temporary file. */
export async function printPdfFromHtml(html: string, settings: PdfSettings): Promise<Uint8Array> {
  const folder = mkdtempSync(join(tmpdir(), "nirdesh-pdf-"));
  try {
    const path = join(folder, "page.html");
    writeFileSync(path, html, { mode: 0o600 });
    return await printPdf(path, settings);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
