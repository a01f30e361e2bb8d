// WhatsApp Web runs in the system Chromium (Debian's `chromium`); puppeteer's own
// Chrome download cannot reach its servers from office networks or CI.
module.exports = { skipDownload: true };
