import { accessSync, constants, statSync } from "node:fs";
import { UserError } from "../user-error.js";

/** Where Debian, Ubuntu and Google put the browser. */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/snap/bin/chromium"];

/**
 * The system's Chromium, for whatsapp-web.js and for printing PDFs (puppeteer's own download is skipped):
 * CHROMIUM_PATH when set, else the first of the usual places. Without one, the user is told how to install it.
 */
export function findChromium(configured: string | undefined, candidates: string[] = CANDIDATES): string {
  if (configured !== undefined) {
    if (!runnable(configured)) throw new UserError((t) => t.chromiumNotExecutable(configured));
    return configured;
  }
  const found = candidates.find(runnable);
  if (!found) throw new UserError((t) => t.noChromium);
  return found;
}

function runnable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
