import type { LiveEvent, LiveGroup, LiveMessage, OutgoingMessage } from "../domain/live-event.js";

/**
 * The bot's one door to WhatsApp. The real one drives whatsapp-web.js (src/whatsapp/); the in-memory one
 * lets tests, the demo and `simulate` run the whole pipeline without a phone or a network.
 */
export interface Transport {
  /**
   * Opens a connection (a fresh browser each time for the real one) and resolves once WhatsApp is ready.
   * Rejects with a TransportUnreachable when WhatsApp Web cannot be reached; `lost` is called if a ready
   * connection drops later. Events arrive through `event` until `disconnect`.
   */
  connect(handlers: TransportHandlers): Promise<void>;
  disconnect(): Promise<void>;
  /** The account's own WhatsApp id, once connected. */
  me(): string | null;
  /** The groups the account is in, with who is in them and who is admin. */
  groups(): Promise<LiveGroup[]>;
  /**
   * A group's newest messages, oldest first, reaching back to `since` (null: as many as `limit`), as
   * WhatsApp shows them now (edited, deleted), with the reactions they carry.
   */
  history(chatId: string, since: number | null, limit: number): Promise<LiveEvent[]>;
  /** One message by WhatsApp's id (to fetch its file again after a restart), or null when WhatsApp has it no more. */
  message(id: string): Promise<LiveMessage | null>;
  /** Sends one message and returns WhatsApp's id of it. */
  send(message: OutgoingMessage): Promise<string>;
}

export interface TransportHandlers {
  event(event: LiveEvent): void;
  lost(reason: string): void;
  /** The connection came back by itself (the phone was offline a while): time to catch up. */
  resumed?(): void;
}

/** WhatsApp Web could not be reached or would not open; the bot waits and tries again. */
export class TransportUnreachable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "TransportUnreachable";
  }
}

/** The account is logged out or the session cannot be used: a person must link the device again. */
export class TransportNeedsLogin extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "TransportNeedsLogin";
  }
}
