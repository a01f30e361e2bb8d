import type WAWebJS from "whatsapp-web.js";
import type { OutgoingMessage } from "../domain/live-event.js";
import type { WhatsAppClient } from "./whatsapp-transport.js";

export interface ClientSettings {
  chromium: string;
  chromiumArgs: readonly string[];
  sessionDir: string;
  /** Digits only, with the country code: link by a code instead of a QR. */
  pairPhone?: string;
}

/**
 * Loads whatsapp-web.js (and with it puppeteer) only for the commands that talk to WhatsApp, and gives the
 * two things the transport builds from it: a new client, with the session kept by LocalAuth in the session
 * folder and the system Chromium, and a file to send.
 */
export async function loadWhatsAppWeb(settings: ClientSettings): Promise<{
  newClient(): WhatsAppClient;
  newMedia(document: NonNullable<OutgoingMessage["document"]>): WAWebJS.MessageMedia;
}> {
  const library = (await import("whatsapp-web.js")).default;
  return {
    newClient: () =>
      new library.Client({
        authStrategy: new library.LocalAuth({ dataPath: settings.sessionDir }),
        puppeteer: {
          executablePath: settings.chromium,
          headless: true,
          // The bot closes the browser itself on a signal, after finishing what it archives; puppeteer's own
          // handlers would kill Chromium mid-write (corrupting the session) and exit before the archive closes.
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
          // Servers run the bot as a service user without a sandbox-capable kernel setup, and /dev/shm is small in containers.
          args: ["--no-sandbox", "--disable-setuid-sandbox", "--disable-dev-shm-usage", "--disable-gpu", ...settings.chromiumArgs],
        },
        ...(settings.pairPhone ? { pairWithPhoneNumber: { phoneNumber: settings.pairPhone, showNotification: true } } : {}),
        deviceName: "Nirdesh",
      }) as unknown as WhatsAppClient,
    newMedia: (document) => new library.MessageMedia(document.mimetype, document.data.toString("base64"), document.fileName, document.data.length),
  };
}
