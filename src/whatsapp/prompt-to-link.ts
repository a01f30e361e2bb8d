import type { Logger } from "pino";
import qrcode from "qrcode-terminal";
import type { Messages } from "../text.js";

/** Where a person linking the device looks: a terminal, or a service's standard error (no TTY). */
export interface Screen {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * What the bot does with WhatsApp's QR code and pairing code. They link the account: they are drawn for
 * the person at a terminal, never written to a service's log (the journal), where whoever reads it could
 * link the account to their own phone. Without a terminal the log says, once, how to link the device.
 */
export function promptToLink(text: Messages, log: Logger, screen: Screen): { onQr(qr: string): void; onPairingCode(code: string): void } {
  let told = false;
  const needsLinking = () => {
    if (!told) log.error("WhatsApp needs this device linked: stop the service and run `npx nirdesh groups` on a terminal to scan the QR code");
    told = true;
  };
  return {
    onQr(qr) {
      if (!screen.isTTY) return needsLinking();
      screen.write(`${text.scanQr}\n`);
      qrcode.generate(qr, { small: true }, (drawn) => screen.write(`${drawn}\n`));
    },
    onPairingCode(code) {
      if (!screen.isTTY) return needsLinking();
      screen.write(`${text.pairingCode(code)}\n`);
    },
  };
}
