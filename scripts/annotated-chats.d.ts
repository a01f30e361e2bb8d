export interface AnnotatedLine {
  day: [string, string, string];
  time: string;
  sender: string;
  /** D directive, A acknowledgement, C completion, S system, - other. */
  kind: string;
  id: string | null;
  text: string;
}

export interface AnnotatedChat {
  name: string;
  roster: Array<{ phone: string; name: string; designation: string; roles: string }>;
  lines: AnnotatedLine[];
  pending: Record<string, string[]>;
  done: Record<string, string[]>;
}

export function readChat(path: string): AnnotatedChat;
export function exportText(chat: AnnotatedChat): string;
export function chatFiles(folder: string): string[];
export function rosterCsv(chat: AnnotatedChat): string;
