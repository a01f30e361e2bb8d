export interface SyntheticPerson {
  phone: string;
  name: string;
  designation: string;
  role: "superior" | "officer" | "recordkeeper";
}

export function random(seed: number): { next(): number; pick<T>(items: T[]): T; int(n: number): number };
export function rosterOf(officers?: number): SyntheticPerson[];
export function rosterCsv(people: SyntheticPerson[]): string;
export function exportText(seed: number, count: number, start: number, people: SyntheticPerson[]): string;
