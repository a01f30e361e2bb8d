import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Text placed in HTML as text: a message saying <script> shows those words and runs nothing. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

let fontCss: string | undefined;

/** The fonts a page embeds: Bangla (regular and bold) and emoji, which officers acknowledge with (👍). */
const FONTS = [
  { name: "@fontsource/noto-sans-bengali", files: ["400.css", "700.css"] },
  { name: "@fontsource/noto-emoji", files: ["400.css"] },
];

/**
 * Noto Sans Bengali (its Bangla, Latin and Latin-extended parts) and Noto Emoji as @font-face rules with
 * the font files inside them as data: URLs: the page needs no network and no font installed on the
 * machine, and Chromium shapes Bangla conjuncts (ক্ষ, ন্ত্র, র্য) with the font's own rules.
 */
export function embeddedFontCss(): string {
  if (fontCss !== undefined) return fontCss;
  const require = createRequire(import.meta.url);
  fontCss = FONTS.flatMap(({ name, files }) => {
    const folder = dirname(require.resolve(`${name}/package.json`));
    return files.map((file) =>
      readFileSync(join(folder, file), "utf8").replace(/src: url\(\.\/files\/([\w-]+\.woff2)\) format\('woff2'\)[^;]*;/g, (_rule, font: string) => {
        const data = readFileSync(join(folder, "files", font)).toString("base64");
        return `src: url(data:font/woff2;base64,${data}) format('woff2');`;
      }),
    );
  }).join("\n");
  return fontCss;
}

/** The opening of a printable A4 page in Bangla or English, up to and including <body>. */
export function htmlPageStart(title: string, lang: "bn" | "en", css: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
${embeddedFontCss()}
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
body { font-family: 'Noto Sans Bengali', 'Noto Emoji', 'DejaVu Sans', sans-serif; font-size: 10pt; line-height: 1.5; color: #111; }
h1 { font-size: 15pt; margin: 0 0 4pt; }
h2 { font-size: 12pt; margin: 14pt 0 4pt; break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 0.5pt solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.meta { color: #444; font-size: 8.5pt; }
.hash { font-family: 'DejaVu Sans Mono', monospace; font-size: 7pt; color: #555; word-break: break-all; }
.number { text-align: right; white-space: nowrap; }
${css}
</style>
</head>
<body>
`;
}

export const HTML_PAGE_END = "</body>\n</html>\n";
