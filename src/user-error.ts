import { english, type Messages } from "./text.js";

/**
 * A problem the user caused and can fix (a bad file, a bad date, an unknown chat). The command line
 * prints it as one line in the user's language and exits 2; it is never shown as a stack trace.
 */
export class UserError extends Error {
  constructor(readonly render: (text: Messages) => string) {
    super(render(english));
    this.name = "UserError";
  }
}
